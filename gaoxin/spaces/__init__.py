"""Space (载体): the Django app. Its modules are imported by name (models, services, selectors,
forms, views, api); the package itself re-exports nothing."""

__all__: list[str] = []
