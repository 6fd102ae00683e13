"""assistant: question -> retrieval -> `Answer` with verbatim `Citation`s; CLI and page."""
from assistant.models import Answer, Citation


def __getattr__(name):
    # Loading the Assistant pulls in torch; keep `import assistant.models` light.
    if name == "Assistant":
        from assistant.assistant import Assistant

        return Assistant
    raise AttributeError(name)


__all__ = ["Answer", "Assistant", "Citation"]
