# function: parse_cloud_objects
# loses: parse_cloud_objects_values
# message: vertices are normalised
def parse_cloud_objects(response, width, height, min_score=0.5):
    try:
        first = response["responses"][0]
    except (KeyError, IndexError):
        return []
    if "error" in first:
        return []
    found = []
    for obj in first.get("localizedObjectAnnotations", []):
        vs = obj["boundingPoly"]["normalizedVertices"]
        xs = [v.get("x", 0.0) for v in vs]
        ys = [v.get("y", 0.0) for v in vs]
        found.append((obj["name"], obj["score"], (min(xs), min(ys), max(xs), max(ys))))
    return sorted([o for o in found if o[1] >= min_score], key=lambda o: -o[1])
