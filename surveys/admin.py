from django.contrib import admin

from .models import Channel, Survey, SurveySettings, Wave


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
