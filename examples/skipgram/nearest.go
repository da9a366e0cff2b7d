package skipgram

import "sort"

// Nearest returns the k words whose similarities in row (one per word of
// reverse, for example a row of the cosine similarities of normalized
// embeddings) are the highest, the most similar first, leaving out the word
// self (the probe itself; -1 for none).
func Nearest(row []float64, reverse []string, self, k int) []string {
	order := make([]int, 0, len(row))
	for j := range row {
		if j != self && j < len(reverse) {
			order = append(order, j)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return row[order[a]] > row[order[b]] })
	if len(order) > k {
		order = order[:k]
	}
	near := make([]string, len(order))
	for i, j := range order {
		near[i] = reverse[j]
	}
	return near
}
