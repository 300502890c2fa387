# The spec's embeddings "Python Example", as written except for where the base URL and key come from.
import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["APITOPMIX_API_KEY"],
    base_url=os.environ["APITOPMIX_BASE_URL"] + "/v1"
)

response = client.embeddings.create(
    model="text-embedding-3-small",
    input="The quick brown fox jumps over the lazy dog."
)

embedding = response.data[0].embedding
print(f"Dimensions: {len(embedding)}")  # 1536
