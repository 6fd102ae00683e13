"""The answer handlers, one per kind of question; each reads a `Context` and returns an
`Answer` (or the records it found). `assistant.Assistant` only chooses and wires them."""
