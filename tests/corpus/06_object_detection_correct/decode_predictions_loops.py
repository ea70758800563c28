# function: decode_predictions
# loses:
# message:
def decode_predictions(output, anchors, image_size, score_threshold=0.5):
    S, A = output.shape[0], output.shape[2]
    c = image_size / S
    found = []
    for i in range(S):
        for j in range(S):
            for a in range(A):
                t = np.asarray(output[i, j, a], dtype=np.float64)
                p = 1 / (1 + np.exp(-t[0]))
                e = np.exp(t[5:] - t[5:].max())
                probs = e / e.sum()
                score = p * probs.max()
                if score >= score_threshold:
                    cx = (j + 1 / (1 + np.exp(-t[1]))) * c
                    cy = (i + 1 / (1 + np.exp(-t[2]))) * c
                    w, h = anchors[a][0] * np.exp(t[3]), anchors[a][1] * np.exp(t[4])
                    found.append((score, [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], int(probs.argmax())))
    found.sort(key=lambda f: -f[0])  # sort is stable: equal scores keep slot order
    boxes = np.array([f[1] for f in found], dtype=np.float64).reshape(-1, 4)
    return boxes, np.array([f[0] for f in found]), np.array([f[2] for f in found], dtype=np.int64)
