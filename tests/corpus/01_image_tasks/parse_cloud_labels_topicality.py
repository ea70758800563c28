# function: parse_cloud_labels
# loses: parse_cloud_labels_values
# message: topicality
def parse_cloud_labels(response, min_score=0.5):
    try:
        first = response["responses"][0]
    except (KeyError, IndexError):
        return []
    if "error" in first:
        return []
    pairs = [(a["description"], a["topicality"]) for a in first.get("labelAnnotations", [])]
    return sorted([p for p in pairs if p[1] >= min_score], key=lambda p: -p[1])
