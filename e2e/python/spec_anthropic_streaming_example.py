# The spec's "Python Streaming" example for Claude, as written except for where the base URL and key come from.
import os

import anthropic

client = anthropic.Anthropic(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"]
)

with client.messages.stream(
    model="claude-sonnet-4-6",
    max_tokens=500,
    messages=[{"role": "user", "content": "Write a poem about AI."}]
) as stream:
    for text in stream.text_stream:
        print(text, end="")
