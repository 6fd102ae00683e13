"""Look of the chat page: a theme with system fonts only, and the CSS of answer cards.

The page must not load anything from outside the machine: Gradio's default theme pulls
its fonts from Google Fonts, so the theme below names locally installed fonts instead
(Noto CJK on Debian, the usual Chinese UI fonts on Windows and macOS).
"""
from __future__ import annotations

SANS_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
              "WenQuanYi Micro Hei", "system-ui", "sans-serif"]
MONO_FONTS = ["Noto Sans Mono CJK SC", "DejaVu Sans Mono", "Consolas", "monospace"]


def make_theme():
    """The page theme; imported lazily because gradio is slow to import."""
    import gradio as gr

    # Gradio's defaults fail WCAG AA contrast (4.5:1) for the primary button's white on
    # orange-500 (2.8) and for info and subdued text on white (1.9); one step darker passes.
    return gr.themes.Default(font=SANS_FONTS, font_mono=MONO_FONTS).set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        body_text_color_subdued="*neutral_600",
        block_info_text_color="*neutral_600",
    )


CSS = """
.rq-answer { line-height: 1.65; }
.rq-refused { background: #fff8e6; border: 1px solid #e5c07b; border-radius: 8px; padding: 8px 12px; }
.rq-refused-title { font-weight: 700; color: #8a5a00; margin-bottom: 4px; }
.rq-text { margin-bottom: 6px; }
.rq-ref { color: #1d4ed8; font-weight: 600; }
.rq-notice { font-size: 0.85em; color: #6b7280; margin: 4px 0; }
.rq-mode { font-size: 0.75em; color: #6b7280; margin-top: 6px; }
.rq-sources-title { font-size: 0.9em; font-weight: 600; color: #374151; margin: 10px 0 4px; }
.rq-card { border: 1px solid #d1d5db; border-left: 4px solid #2563eb; border-radius: 6px;
           padding: 6px 10px; margin: 6px 0; background: #ffffff; font-size: 0.92em; }
.rq-card-related { border-left-color: #9ca3af; background: #f9fafb; }
.rq-card-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.rq-num { font-weight: 700; color: #1d4ed8; }
.rq-report { font-weight: 600; }
.rq-label { background: #eef2ff; color: #3730a3; border-radius: 4px; padding: 0 6px; }
.rq-raw-label { color: #6b7280; font-size: 0.8em; }
.rq-related { background: #e5e7eb; color: #374151; border-radius: 4px; padding: 0 6px; font-size: 0.85em; }
.rq-badge { border-radius: 10px; padding: 0 8px; font-size: 0.85em; }
.rq-done { background: #dcfce7; color: #166534; }
.rq-ongoing { background: #fef3c7; color: #92400e; }
.rq-unknown { background: #f3f4f6; color: #4b5563; }
.rq-section { color: #6b7280; font-size: 0.85em; margin: 2px 0 4px; }
.rq-passage mark, .rq-full-text mark { background: #fde68a; padding: 0 1px; }
.rq-full summary { cursor: pointer; color: #2563eb; font-size: 0.85em; }
.rq-full-text { white-space: normal; color: #374151; margin-top: 4px; }
.rq-hint { font-size: 0.85em; color: #6b7280; }
.rq-cited { text-decoration: underline; text-decoration-color: #2563eb; }
.rq-more > summary { cursor: pointer; color: #2563eb; font-size: 0.85em; margin: 4px 0; }
.rq-input-hint { color: #8a5a00; background: #fff8e6; border-radius: 6px; padding: 4px 10px; font-size: 0.9em; }
/* Gradio dims chat text to 0.8 opacity, which takes our colours below 4.5:1 contrast */
#chat .message-wrap .prose.chatbot.md { opacity: 1; }
#question-hint:empty, #question-hint .prose:empty { display: none; }
/* 清空对话 must look like a button, not like text */
#clear { border: 1px solid #9ca3af !important; }
/* Numbers and dates never break inside; narrow screens scroll the table instead */
#overview td, #overview th { white-space: nowrap; }
#overview td:first-child, #overview th:first-child { white-space: normal; min-width: 12em; }
@media (max-width: 640px) {
  #chat { height: 70vh !important; }
  .rq-card { font-size: 0.9em; }
}
"""
