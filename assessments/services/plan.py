"""Recommendations and the action plan (METHODOLOGY §9; the journey map: ``services.journey``).

The rule engine proposes; the consultant accepts, edits, rejects or adds recommendations;
an accepted recommendation becomes an action item that moves proposed → planned →
in progress → done, or is dropped with a reason. Touchpoints of the journey map feed the
``touchpoint-pain`` rule.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit.accounts.models import Membership
from cxaudit.recommendations import TOUCHPOINT_PAIN

from .. import policy
from ..models import (
    ActionItem,
    ActionStatus,
    Audit,
    Recommendation,
    RecommendationStatus,
)
from ..rule_texts import is_rule_text
from ..selectors.proposals import recommendations_proposed

TEXT_MAX_LENGTH = 2000
# Default due date: the report date plus 30/60/90 days for severity 3/2/1 (§9).
DUE_DAYS = {3: 30, 2: 60, 1: 90}
# Which status an action may move to from each status; "dropped" is open from any status.
TRANSITIONS = {
    ActionStatus.PROPOSED: {ActionStatus.PLANNED, ActionStatus.DROPPED},
    ActionStatus.PLANNED: {ActionStatus.PROPOSED, ActionStatus.IN_PROGRESS, ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.DROPPED},
    ActionStatus.DONE: {ActionStatus.IN_PROGRESS, ActionStatus.DROPPED},
    ActionStatus.DROPPED: {ActionStatus.PROPOSED, ActionStatus.PLANNED},
}
NEEDS_OWNER = {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE}


class _Keep:
    """Marks an argument the caller did not pass (None is a value: "no owner")."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def report_date(*, audit: Audit) -> date:
    """The date the report speaks for: when results were published, else today."""
    if audit.results_published_at is not None:
        return timezone.localdate(audit.results_published_at)
    return timezone.localdate()


def default_due_date(*, audit: Audit, severity: int) -> date:
    return report_date(audit=audit) + timedelta(days=DUE_DAYS.get(severity, 60))


def clean_text(text: str, *, empty: str, max_length: int = TEXT_MAX_LENGTH) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(empty)
    if len(text) > max_length:
        raise ValidationError(
            _("The text is too long (at most %(n)s characters).") % {"n": max_length}
        )
    return text


def _wording(*, rule_id: str, text: str) -> str:
    """What to store as a recommendation's or action's text: blank when it is the rule's own
    text in any language (it is then rendered in the reader's language), else as typed."""
    return "" if rule_id and is_rule_text(rule_id=rule_id, text=text) else text


# --------------------------------------------------------------------------- recommendations


def _key(rule_id: str, touchpoint_id: int | None) -> tuple[str, int | None]:
    return rule_id, touchpoint_id if rule_id == TOUCHPOINT_PAIN else None


@transaction.atomic
def recommendations_refresh(*, audit: Audit, by) -> list[Recommendation]:
    """Store what the rule engine recommends now.

    Decided (accepted or rejected) and consultant-added recommendations are kept as they
    are; proposed ones that still fire get the new priority and reasons (their text, which
    the consultant may have edited, is kept); proposed ones that no longer fire are removed.
    A recommendation is identified by its rule (and touchpoint, for ``touchpoint-pain``).
    On a later round, done actions of the previous round whose rule fires again are flagged
    "recurred".
    """
    Audit.objects.select_for_update().filter(pk=audit.pk).first()
    proposed = recommendations_proposed(audit=audit)
    names = dict(audit.touchpoints.values_list("pk", "name"))
    existing: dict[tuple[str, int | None], Recommendation] = {}
    stale: list[int] = []
    for row in audit.recommendations.exclude(rule_id=""):
        key = _key(row.rule_id, row.touchpoint_id)
        if key in existing:
            if row.status == RecommendationStatus.PROPOSED:
                stale.append(row.pk)  # a duplicate from a concurrent refresh
            continue
        existing[key] = row
    fired: set[tuple[str, int | None]] = set()
    create: list[Recommendation] = []
    update: list[Recommendation] = []
    now = timezone.now()
    for found in proposed:
        touchpoint_id = int(found.touchpoint_key) if found.touchpoint_key else None
        key = _key(found.rule_id, touchpoint_id)
        fired.add(key)
        reasons = [
            {**reason, "title": names.get(int(reason["ref"]), "")}
            if reason.get("kind") == "touchpoint" and str(reason.get("ref", "")).isdigit()
            else dict(reason)
            for reason in found.reasons
        ]
        current = existing.get(key)
        if current is None:
            create.append(
                Recommendation(
                    audit=audit,
                    rule_id=found.rule_id,
                    text="",  # the rule's text, rendered in the reader's language
                    severity=found.severity,
                    priority=Decimal(found.priority),
                    reasons=reasons,
                    indicative=found.indicative,
                    touchpoint_id=touchpoint_id if touchpoint_id in names else None,
                )
            )
        elif current.status == RecommendationStatus.PROPOSED:
            current.severity = found.severity
            current.priority = Decimal(found.priority)
            current.reasons = reasons
            current.indicative = found.indicative
            current.updated_at = now
            update.append(current)
    stale += [
        row.pk
        for key, row in existing.items()
        if key not in fired and row.status == RecommendationStatus.PROPOSED
    ]
    Recommendation.objects.filter(pk__in=stale).delete()
    Recommendation.objects.bulk_create(create)
    Recommendation.objects.bulk_update(
        update, ["severity", "priority", "reasons", "indicative", "updated_at"]
    )
    _recurred_mark(audit=audit, fired=fired, names=names)
    return list(audit.recommendations.select_related("touchpoint"))


def _recurred_mark(*, audit: Audit, fired: set, names: dict[int, str]) -> None:
    """Flag the previous round's done actions whose rule fires again in this round."""
    if audit.previous_id is None:
        return
    rules = {rule for rule, _touchpoint in fired}
    painful = {names[tp].strip().lower() for rule, tp in fired if tp is not None and tp in names}
    done = ActionItem.objects.filter(
        audit_id=audit.previous_id, status=ActionStatus.DONE
    ).select_related("recommendation__touchpoint")
    again: list[int] = []
    not_again: list[int] = []
    for action in done:
        hit = action.rule_id in rules
        touchpoint = action.recommendation.touchpoint if action.recommendation else None
        if hit and action.rule_id == TOUCHPOINT_PAIN and touchpoint is not None:
            hit = touchpoint.name.strip().lower() in painful
        (again if hit else not_again).append(action.pk)
    ActionItem.objects.filter(pk__in=again).update(recurred=True)
    ActionItem.objects.filter(pk__in=not_again, recurred=True).update(recurred=False)


def _decide(recommendation: Recommendation, status: str, by) -> None:
    recommendation.status = status
    recommendation.decided_by = by
    recommendation.decided_at = timezone.now()
    recommendation.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def recommendation_accept(
    *, recommendation: Recommendation, by, title: str | None = None
) -> ActionItem:
    """Accept into the action plan: an action item with the recommendation's wording (a rule's
    own text stays a reference to the rule, shown in each reader's language; edited text is
    copied as written), the priority frozen and the default due date for the severity.
    Accepting twice is harmless."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status == RecommendationStatus.ACCEPTED:
        action = recommendation.actions.order_by("pk").first()
        if action is not None:
            return action
    audit = recommendation.audit
    if title is not None or recommendation.text or not recommendation.rule_id:
        title = _wording(
            rule_id=recommendation.rule_id,
            text=clean_text(title or recommendation.text, empty=_("Enter what is to be done.")),
        )
    action = ActionItem(
        audit=audit,
        recommendation=recommendation,
        title=title or "",
        rule_id=recommendation.rule_id,
        severity=recommendation.severity,
        priority=recommendation.priority,
        due_date=default_due_date(audit=audit, severity=recommendation.severity),
        status=ActionStatus.PROPOSED,
    )
    action.full_clean()
    action.save()
    _decide(recommendation, RecommendationStatus.ACCEPTED, by)
    return action


@transaction.atomic
def recommendations_accept(*, audit: Audit, ids, by) -> list[ActionItem]:
    """Accept several undecided recommendations of one audit at once (the bulk form)."""
    chosen = list(
        audit.recommendations.filter(
            pk__in=list(ids),
            status__in=[RecommendationStatus.PROPOSED, RecommendationStatus.REJECTED],
        )
    )
    if not chosen:
        raise ValidationError(_("Choose at least one recommendation to accept."))
    return [recommendation_accept(recommendation=r, by=by) for r in chosen]


@transaction.atomic
def recommendation_reject(*, recommendation: Recommendation, by) -> Recommendation:
    """Reject a recommendation; an accepted one only while its action has not been planned."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status == RecommendationStatus.ACCEPTED:
        actions = list(recommendation.actions.all())
        if any(a.status != ActionStatus.PROPOSED for a in actions):
            raise ValidationError(
                _(
                    "Work on this recommendation has started; drop its action in the action "
                    "plan instead."
                )
            )
        ActionItem.objects.filter(pk__in=[a.pk for a in actions]).delete()
    _decide(recommendation, RecommendationStatus.REJECTED, by)
    return recommendation


@transaction.atomic
def recommendation_edit(*, recommendation: Recommendation, by, text: str) -> Recommendation:
    """Reword a recommendation; an action already made from it keeps its own title."""
    recommendation.text = _wording(
        rule_id=recommendation.rule_id,
        text=clean_text(text, empty=_("Enter the recommendation.")),
    )
    recommendation.full_clean()
    recommendation.save(update_fields=["text", "updated_at"])
    return recommendation


@transaction.atomic
def recommendation_add(*, audit: Audit, by, text: str, severity: int) -> Recommendation:
    """The consultant's own recommendation; with no trigger, its priority is the severity
    (s = 0, as for a missing practice)."""
    if severity not in DUE_DAYS:
        raise ValidationError(_("Choose a severity of 1, 2 or 3."))
    recommendation = Recommendation(
        audit=audit,
        rule_id="",
        text=clean_text(text, empty=_("Enter the recommendation.")),
        severity=severity,
        priority=Decimal(severity),
        reasons=[],
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


# --------------------------------------------------------------------------- action plan


def _is_member(*, audit: Audit, user) -> bool:
    return Membership.objects.filter(organisation_id=audit.company_id, user=user).exists()


@transaction.atomic
def action_update(
    *,
    action: ActionItem,
    by,
    by_role: str,
    title=KEEP,
    owner=KEEP,
    due_date=KEEP,
    status=KEEP,
    notes=KEEP,
    drop_reason=KEEP,
) -> ActionItem:
    """Change an action item. Those running the audit change everything; the client manager
    changes the status and the notes. Planned, in progress and done need an owner (a member
    of the company) and a due date; dropping needs a reason."""
    action = ActionItem.objects.select_for_update().select_related("audit").get(pk=action.pk)
    audit = action.audit
    may_plan = policy.role_allows(by_role, "actions.plan", audit)
    may_update = policy.role_allows(by_role, "actions.update", audit)
    if not may_update:
        raise ValidationError(_("You cannot change this action plan."))
    if action.carried_to.exists():
        raise ValidationError(_("This action continues in the next round; update it there."))
    planning = {
        "title": title,
        "owner": owner,
        "due_date": due_date,
    }
    # The unchanged wording may come back stored (blank, the rule's key) or as displayed.
    unchanged: dict[str, set[object]] = {
        "title": {action.title, action.display_title},
        "owner": {action.owner},
        "due_date": {action.due_date},
    }
    if not may_plan and any(
        value is not KEEP and value not in unchanged[name] for name, value in planning.items()
    ):
        raise ValidationError(
            _("Only those running the audit can change an action's wording, owner or due date.")
        )
    errors = []
    if title is not KEEP and title != action.title:
        action.title = _wording(
            rule_id=action.rule_id, text=clean_text(title, empty=_("Enter what is to be done."))
        )
    if owner is not KEEP:
        if owner is not None and not _is_member(audit=audit, user=owner):
            errors.append(
                _("%(name)s is not a member of the company and cannot own an action.")
                % {"name": owner}
            )
        action.owner = owner
    if due_date is not KEEP:
        action.due_date = due_date
    if notes is not KEEP:
        action.notes = (notes or "").strip()[:TEXT_MAX_LENGTH]
    if drop_reason is not KEEP:
        action.drop_reason = (drop_reason or "").strip()[:TEXT_MAX_LENGTH]
    if status is not KEEP and status != action.status:
        if status not in ActionStatus.values:
            raise ValidationError(_("Unknown status."))
        if status not in TRANSITIONS[ActionStatus(action.status)]:
            errors.append(
                _("An action cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": ActionStatus(action.status).label,
                    "new": ActionStatus(status).label,
                }
            )
        action.status = status
    if action.status in NEEDS_OWNER:
        label = ActionStatus(action.status).label
        if action.owner_id is None:
            errors.append(
                _("Choose an owner: an action that is “%(status)s” needs one.") % {"status": label}
            )
        if action.due_date is None:
            errors.append(
                _("Set a due date: an action that is “%(status)s” needs one.") % {"status": label}
            )
    if action.status == ActionStatus.DROPPED:
        if not action.drop_reason:
            errors.append(_("Say why the action is dropped."))
    else:
        action.drop_reason = ""
    if errors:
        raise ValidationError(errors)
    action.updated_at = timezone.now()
    action.full_clean()
    action.save()
    return action
