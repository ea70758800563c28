# function: parse_cloud_labels
# loses: parse_cloud_labels_threshold
# message: >=
def parse_cloud_labels(response, min_score=0.5):
    try:
        first = response["responses"][0]
    except (KeyError, IndexError):
        return []
    if "error" in first:
        return []
    pairs = [(a["description"], a["score"]) for a in first.get("labelAnnotations", []) if a["score"] > min_score]
    return sorted(pairs, key=lambda p: p[1], reverse=True)
