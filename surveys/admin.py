from django.contrib import admin

from .models import (
    Channel,
    Codebook,
    Question,
    QuestionChoice,
    Survey,
    SurveySettings,
    SurveyTemplate,
    Theme,
    ThemeSuggestion,
    Wave,
)


class WaveInline(admin.TabularInline):
    model = Wave
    extra = 0
    fields = ("number", "opens_on", "closes_on", "closed_at")


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "audience", "anonymous", "created_at")
    list_filter = ("audience", "anonymous")
    search_fields = ("title", "company__name")
    inlines = [WaveInline, ChannelInline]
    raw_id_fields = ("company", "created_by")


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ("company", "anonymity_threshold")
    raw_id_fields = ("company",)


def _answered(question: Question | None) -> bool:
    return question is not None and question.pk is not None and question.answers.exists()


class QuestionChoiceInline(admin.TabularInline):
    """An answered question's option keys are its meaning: they stay as they are here (the
    editor makes a new version for such a change)."""

    model = QuestionChoice
    extra = 0
    fields = ("key", "label_ru", "label_en", "position")

    def get_readonly_fields(self, request, obj=None):
        return ("key",) if _answered(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not _answered(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _answered(obj) and super().has_delete_permission(request, obj)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("key", "version", "survey", "kind", "position", "retired_at")
    list_filter = ("kind",)
    search_fields = ("key", "survey__title")
    raw_id_fields = ("survey",)
    inlines = [QuestionChoiceInline]
    MEANING = ("survey", "key", "version", "kind", "condition_key", "condition_values")

    def get_readonly_fields(self, request, obj=None):
        fixed = ("retired_at", "created_at")
        return (*self.MEANING, *fixed) if _answered(obj) else fixed

    def has_delete_permission(self, request, obj=None):
        return not _answered(obj) and super().has_delete_permission(request, obj)


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "created_by", "created_at")
    search_fields = ("title", "owner__name")
    raw_id_fields = ("owner", "created_by")
    readonly_fields = ("created_at",)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ("position", "key", "name_ru", "name_en", "phrases")


@admin.register(Codebook)
class CodebookAdmin(admin.ModelAdmin):
    list_display = ("title", "survey", "owner", "revision")
    readonly_fields = ("revision", "created_at")
    raw_id_fields = ("survey", "owner", "created_by")
    inlines = [ThemeInline]


@admin.register(ThemeSuggestion)
class ThemeSuggestionAdmin(admin.ModelAdmin):
    list_display = ("wave", "status", "progress", "requested_at", "finished_at")
    readonly_fields = ("status", "progress", "result", "message", "requested_at", "finished_at")
    raw_id_fields = ("wave", "requested_by")
