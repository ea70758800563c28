# function: parse_cloud_objects
# loses:
# message:
def parse_cloud_objects(response, width, height, min_score=0.5):
    entries = (response or {}).get("responses") or []
    if not entries or "error" in entries[0]:
        return []
    kept = []
    for obj in entries[0].get("localizedObjectAnnotations", []):
        if obj.get("score", 0) < min_score:
            continue
        x1 = y1 = float("inf")
        x2 = y2 = float("-inf")
        for v in obj["boundingPoly"]["normalizedVertices"]:
            x, y = v.get("x", 0) * width, v.get("y", 0) * height
            x1, y1, x2, y2 = min(x1, x), min(y1, y), max(x2, x), max(y2, y)
        kept.append((obj["name"], obj["score"], (x1, y1, x2, y2)))
    kept.sort(key=lambda o: o[1], reverse=True)
    return kept
