"""Debug helper: ``python scripts/parse.py "text" ...`` prints intent, confidence and entities."""
import asyncio
import sys

from rasa.core.agent import Agent


async def main(texts):
    agent = Agent.load("models/veiviser.tar.gz")
    for text in texts:
        result = await agent.parse_message(text)
        ranking = ", ".join(f"{r['name']}={r['confidence']:.2f}" for r in result["intent_ranking"][:3])
        entities = [(e["entity"], e["value"], round(e.get("confidence_entity", 1), 2)) for e in result["entities"]]
        reading = result.get("service_reading") or {}
        services = ", ".join(f"{s['service']}={s['confidence']:.2f}" for s in reading.get("services", []))
        print(f"{text!r}\n   {ranking}\n   {entities}\n   reading: {services}; none={reading.get('none', 1.0):.2f}")

asyncio.run(main(sys.argv[1:]))
