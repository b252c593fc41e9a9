"""Access rules of the surveys URLs: staff pages for the company's people, public pages by
unguessable token for everyone."""

from surveys.models import Codebook, QuestionAnswer, SuggestionStatus, Theme, ThemeSuggestion
from tests.integration.access import Refused, company_page, everyone, post_page, signed_in
from tests.survey_factories import (
    ChannelFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    SurveyTemplateFactory,
    WaveFactory,
    WaveInvitationFactory,
)

# Survey templates belong to the consultancy: its consultants keep them (the world's company
# has one, so its manager may not).
TEMPLATE_KEEPERS = company_page(manager=404, staff=404)

MANAGERS = company_page(staff=404)

# url name -> (function building reverse() args from the world, expected status per actor)
MATRIX = {
    "surveys:survey-list": (lambda w: [w["company"].pk], company_page()),
    "surveys:survey-create": (lambda w: [w["company"].pk], MANAGERS),
    "surveys:survey-settings": (lambda w: [w["company"].pk], MANAGERS),
    "surveys:survey-detail": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:survey-update": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:survey-results": (lambda w: [w["survey"].pk], company_page()),
    "surveys:wave-create": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:channel-create": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:wave-close": (lambda w: [w["wave"].pk], MANAGERS),
    "surveys:wave-reopen": (lambda w: [w["wave"].pk], MANAGERS),
    "surveys:response-comment-hide": (lambda w: [w["commented_response"].pk], signed_in(405)),
    "surveys:wave-comments-release": (
        lambda w: [w["commented_response"].wave_id],
        signed_in(405),
    ),
    "surveys:wave-remind": (lambda w: [w["wave"].pk], signed_in(405)),
    "surveys:wave-invitations": (lambda w: [w["wave"].pk], MANAGERS),
    "surveys:wave-qr": (lambda w: [w["wave"].pk, "svg"], MANAGERS),
    "surveys:wave-export": (lambda w: [w["wave"].pk, "csv"], MANAGERS),
    "surveys:wave-import": (lambda w: [w["wave"].pk], MANAGERS),
    "surveys:question-create": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:question-update": (lambda w: [w["question"].pk], MANAGERS),
    "surveys:question-move": (lambda w: [w["question"].pk], signed_in(405)),
    "surveys:question-remove": (lambda w: [w["question"].pk], MANAGERS),
    "surveys:template-create": (lambda w: [w["survey"].pk], TEMPLATE_KEEPERS),
    "surveys:template-list": (lambda w: [w["company"].pk], TEMPLATE_KEEPERS),
    "surveys:template-use": (
        lambda w: [w["company"].pk, w["survey_template"].pk],
        TEMPLATE_KEEPERS,
    ),
    "surveys:template-delete": (
        lambda w: [w["company"].pk, w["survey_template"].pk],
        signed_in(405),
    ),
    "surveys:codebook-detail": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:theme-create": (lambda w: [w["survey"].pk], MANAGERS),
    "surveys:theme-update": (lambda w: [w["theme"].pk], MANAGERS),
    "surveys:theme-delete": (lambda w: [w["theme"].pk], MANAGERS),
    "surveys:theme-move": (lambda w: [w["theme"].pk], signed_in(405)),
    "surveys:theme-merge": (lambda w: [w["theme"].pk], MANAGERS),
    "surveys:theme-split": (lambda w: [w["theme"].pk], MANAGERS),
    "surveys:codebook-keep": (lambda w: [w["survey"].pk], TEMPLATE_KEEPERS),
    "surveys:codebook-kept-list": (lambda w: [w["company"].pk], TEMPLATE_KEEPERS),
    "surveys:codebook-kept-delete": (
        lambda w: [w["company"].pk, w["kept_codebook"].pk],
        signed_in(405),
    ),
    "surveys:theme-suggestions": (lambda w: [w["suggestion"].wave_id], MANAGERS),
    "surveys:theme-suggestion-status": (lambda w: [w["suggestion"].pk], MANAGERS),
    "surveys:theme-suggestion-accept": (lambda w: [w["suggestion"].pk, 0], MANAGERS),
    "surveys:theme-suggestion-merge": (lambda w: [w["suggestion"].pk, 0], signed_in(405)),
    "surveys:theme-suggestion-dismiss": (lambda w: [w["suggestion"].pk, 0], signed_in(405)),
    "surveys:comment-themes": (lambda w: [w["commented_response"].pk], signed_in(405)),
    "surveys:answer-themes": (lambda w: [w["text_answer"].pk], signed_in(405)),
    "surveys:respond": (lambda w: [w["wave"].token], everyone(200)),
    "surveys:respond-channel": (lambda w: [w["wave"].token, w["channel"].code], everyone(200)),
    "surveys:respond-thanks": (lambda w: [w["wave"].token], everyone(200)),
    "surveys:respond-invited": (lambda w: [w["survey_invitation"].token], everyone(200)),
}

POST = {
    "surveys:survey-create": MANAGERS,
    "surveys:survey-settings": post_page(),
    "surveys:survey-update": MANAGERS,
    "surveys:wave-create": MANAGERS,
    "surveys:channel-create": post_page(),
    "surveys:wave-close": post_page(),
    # The world's wave is open: the refusal is a message and a redirect, nothing changes.
    "surveys:wave-reopen": post_page(consultant=Refused(302), manager=Refused(302)),
    "surveys:response-comment-hide": post_page(manager=404),
    "surveys:wave-comments-release": post_page(manager=404),
    "surveys:wave-remind": post_page(),
    "surveys:wave-invitations": MANAGERS,
    "surveys:wave-import": MANAGERS,
    "surveys:question-create": post_page(),
    "surveys:question-update": post_page(),
    "surveys:question-move": post_page(),
    "surveys:question-remove": post_page(),
    "surveys:template-create": post_page(manager=404),
    "surveys:template-use": post_page(manager=404),
    "surveys:template-delete": post_page(manager=404),
    "surveys:codebook-detail": post_page(consultant=Refused(302), manager=Refused(302)),
    "surveys:theme-create": MANAGERS,
    "surveys:theme-update": MANAGERS,
    "surveys:theme-delete": post_page(),
    "surveys:theme-move": post_page(),
    "surveys:theme-merge": post_page(),
    "surveys:theme-split": post_page(),
    "surveys:codebook-keep": post_page(manager=404),
    "surveys:codebook-kept-delete": post_page(manager=404),
    "surveys:theme-suggestions": post_page(),
    "surveys:theme-suggestion-accept": post_page(),
    "surveys:theme-suggestion-merge": post_page(),
    "surveys:theme-suggestion-dismiss": post_page(),
    "surveys:comment-themes": post_page(manager=404),
    # Like a comment's: the employee wave's texts are held, the consultant's alone.
    "surveys:answer-themes": post_page(manager=404),
    "surveys:respond": everyone(400),
    "surveys:respond-channel": everyone(400),
    "surveys:respond-invited": everyone(400),
}

POST_DATA = {
    "surveys:survey-settings": lambda w: {"anonymity_threshold": 6},
    "surveys:channel-create": lambda w: {"name": "Call centre"},
    "surveys:response-comment-hide": lambda w: {"hidden": "1"},
    "surveys:wave-reopen": lambda w: {"closes_on": "2099-01-01"},
    "surveys:question-create": lambda w: {
        "kind": "yesno",
        "key": "came_back",
        "text_ru": "Вы к нам вернётесь?",
    },
    "surveys:question-update": lambda w: {
        "kind": "rating5",
        "key": w["question"].key,
        "text_ru": "Как вам зал?",
    },
    "surveys:question-move": lambda w: {"direction": "up"},
    "surveys:template-create": lambda w: {"title": "Guests, again"},
    "surveys:template-use": lambda w: {"title": "From the template"},
    "surveys:theme-merge": lambda w: {"into": w["other_theme"].pk},
    "surveys:theme-split": lambda w: {"phrases": ["ждать"], "key": "waiting", "name_ru": "Ждать"},
    "surveys:codebook-keep": lambda w: {"title": "Kept again"},
    "surveys:theme-suggestion-accept": lambda w: {
        "key": "queue",
        "name_ru": "Очередь",
        "phrases": "очередь",
    },
    "surveys:theme-suggestion-merge": lambda w: {"into": w["theme"].pk},
    "surveys:comment-themes": lambda w: {"theme": [w["comment_theme"].pk]},
    "surveys:answer-themes": lambda w: {"theme": [w["comment_theme"].pk]},
}


def build_world(world):
    survey = SurveyFactory(company=world["company"], title="Guests")
    wave = WaveFactory(survey=survey, number=1)
    codebook = Codebook.objects.create(survey=survey, title="Guests")
    theme = Theme.objects.create(
        codebook=codebook, key="wait", name_ru="Ожидание", phrases="очередь\nждать"
    )
    employees = SurveyFactory(company=world["company"], employee=True)
    comments = Codebook.objects.create(survey=employees, title="Staff")
    commented = ResponseFactory(
        wave=WaveFactory(survey=employees, closed=True), nps=None, enps=8, comment="Больше кофе"
    )
    text_answer = QuestionAnswer.objects.create(
        response=commented,
        wave_id=commented.wave_id,
        question=QuestionFactory(survey=employees, key="better", kind="long"),
        text="Ждать приходится долго",
    )
    return {
        "text_answer": text_answer,
        "theme": theme,
        "other_theme": Theme.objects.create(codebook=codebook, key="price", name_ru="Цена"),
        "kept_codebook": Codebook.objects.create(owner=world["company"].parent, title="Kept"),
        "suggestion": ThemeSuggestion.objects.create(
            wave=WaveFactory(survey=survey, number=2, closed=True),
            status=SuggestionStatus.DONE,
            result=[{"top_words": ["очередь"], "phrases": ["очередь"], "examples": [], "size": 9}],
        ),
        "comment_theme": Theme.objects.create(codebook=comments, key="pay", name_ru="Зарплата"),
        "survey": survey,
        "question": QuestionFactory(survey=survey, key="hall", kind="rating5"),
        "survey_template": SurveyTemplateFactory(owner=world["company"].parent, title="Guests"),
        "wave": wave,
        "channel": ChannelFactory(survey=survey, name="Shop"),
        "survey_invitation": WaveInvitationFactory(wave=wave),
        "commented_response": commented,
    }
