"""Recommendations, the action plan, the journey map editor and the next round."""

urlpatterns: list = []
