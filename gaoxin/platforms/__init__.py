"""Platforms and events (平台、活动): the Django app. Its modules are imported by name (models,
services, forms, views, api); the package itself re-exports nothing."""

__all__: list[str] = []
