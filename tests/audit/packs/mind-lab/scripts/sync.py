"""Pushes a finished mind to Supabase and asks for embeddings."""
import os

import requests
from supabase import create_client

client = create_client(os.environ["SUPABASE_URL"], os.getenv("SUPABASE_SERVICE_ROLE_KEY"))


def publish(slug, prompt):
    client.table("minds").upsert({"slug": slug}).execute()
    (client.table("mind_system_prompts")
        .insert({"slug": slug, "content": prompt})
        .execute())
    rows = client.table("minds").select("*").eq("slug", slug).execute()
    r = requests.post("https://api.openai.com/v1/embeddings?api_key=secret", json={"input": prompt})
    return rows, r
