"""Issue 15 in a browser: an own question waits for the answer it depends on, and on a phone
a one-per-screen survey shows one question at a time with Next, Back and progress."""

from surveys.models import Question, QuestionAnswer, QuestionChoice, Response
from tests.survey_factories import SurveyFactory, WaveFactory, respond_url


def own_survey(company):
    survey = SurveyFactory(company=company, blocks=["nps"], one_per_screen=True)
    wave = WaveFactory(survey=survey, number=1)
    branch = Question.objects.create(
        survey=survey, key="branch", kind="single", position=1, text_ru="Филиал", text_en="Branch"
    )
    for number, key in enumerate(("north", "south")):
        QuestionChoice.objects.create(
            question=branch, key=key, label_ru=key, label_en=key.title(), position=number
        )
    Question.objects.create(
        survey=survey,
        key="why_low",
        kind="short",
        position=2,
        required=True,
        text_ru="Почему так низко?",
        text_en="Why so low?",
        condition_key="nps",
        condition_values=[0, 1, 2, 3, 4, 5, 6],
    )
    Question.objects.create(
        survey=survey, key="speed", kind="rating5", position=3, text_ru="Скорость", text_en="Speed"
    )
    return wave


def test_conditions_and_one_question_per_screen_on_a_phone(phone_page, live_server, company):
    page = phone_page
    wave = own_survey(company)
    page.goto(respond_url(wave), wait_until="load")
    why = page.locator(".survey-step[data-key=why_low]")
    progress = page.locator(".survey-progress")
    send = page.locator("#survey-form [type=submit]")

    nps = page.locator(".survey-step[data-key=nps]")
    branch = page.locator(".survey-step[data-key=branch]")

    # NPS, the comment, branch and speed: the hidden "why?" is skipped. Send waits for the
    # last step.
    assert progress.inner_text() == "Question 1 of 4"
    assert nps.is_visible() and not branch.is_visible()
    assert not send.is_visible()
    assert page.locator(".survey-back").is_disabled()

    # A low score shows "why?": one more step, after the branch.
    page.locator("label[for=id_nps_3]").click()
    assert progress.inner_text() == "Question 1 of 5"
    page.locator(".survey-next").click()
    page.locator(".survey-next").click()
    assert progress.inner_text() == "Question 3 of 5" and branch.is_visible()
    page.get_by_label("South").check()
    page.locator(".survey-next").click()
    assert progress.inner_text() == "Question 4 of 5"
    assert why.is_visible() and not nps.is_visible()
    page.get_by_label("Why so low?").fill("The queue")

    # Back to NPS with the keyboard, and a high score hides "why?" again.
    for _step in range(3):
        page.locator(".survey-back").focus()
        page.keyboard.press("Enter")
    assert progress.inner_text() == "Question 1 of 5" and nps.is_visible()
    page.locator("label[for=id_nps_9]").click()
    assert progress.inner_text() == "Question 1 of 4"
    assert why.get_attribute("aria-hidden") == "true"
    assert page.locator("#id_q_why_low").is_disabled()

    for _step in range(3):
        page.locator(".survey-next").click()
    assert progress.inner_text() == "Question 4 of 4"
    page.locator("label[for=id_q_speed_4]").click()
    assert send.is_visible() and not page.locator(".survey-next").is_visible()
    send.click()
    page.wait_for_url("**/thanks/**")

    response = Response.objects.get()
    assert response.nps == 9
    kept = sorted(
        (row.question.key, row.choice.key if row.choice_id else row.number or row.text)
        for row in QuestionAnswer.objects.select_related("question", "choice")
    )
    assert kept == [("branch", "south"), ("speed", 5)]  # the hidden "why?" was not sent


def test_a_wide_screen_shows_every_question_at_once(page, live_server, company):
    wave = own_survey(company)
    page.goto(respond_url(wave), wait_until="load")
    assert page.locator(".survey-step[data-key=branch]").is_visible()
    assert page.locator(".survey-step[data-key=speed]").is_visible()
    assert not page.locator(".survey-step[data-key=why_low]").is_visible()
    assert not page.locator(".survey-nav").is_visible()
    page.locator("label[for=id_nps_2]").click()
    assert page.locator(".survey-step[data-key=why_low]").is_visible()
