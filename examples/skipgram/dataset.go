package skipgram

import (
	"fmt"
	"math"
	"math/rand"
	"sort"

	"gorgonia.org/tensor"
)

// Dataset is the notebook's build_dataset: Data holds each word of the
// corpus as its id, Counts[id] the number of its occurrences (Counts[0]
// that of the words left out, "UNK"), Dictionary maps words to ids and
// Reverse ids to words. Id 0 is "UNK", the others go by decreasing count
// (ties in alphabetical order).
type Dataset struct {
	Data       []int32
	Counts     []int
	Dictionary map[string]int
	Reverse    []string
}

// BuildDataset keeps the vocabularySize-1 most frequent words of words
// (fewer when the corpus has fewer distinct words: the vocabulary is then
// all of them and UNK, len(Reverse) tells its size) and maps the others to
// UNK.
func BuildDataset(words []string, vocabularySize int) (*Dataset, error) {
	if vocabularySize < 2 {
		return nil, fmt.Errorf("skipgram.BuildDataset: vocabulary size %d, want at least 2 (UNK and one word)", vocabularySize)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("skipgram.BuildDataset: no words")
	}
	freq := map[string]int{}
	for _, w := range words {
		freq[w]++
	}
	type wc struct {
		w string
		c int
	}
	list := make([]wc, 0, len(freq))
	for w, c := range freq {
		list = append(list, wc{w, c})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].c != list[j].c {
			return list[i].c > list[j].c
		}
		return list[i].w < list[j].w
	})
	if len(list) > vocabularySize-1 {
		list = list[:vocabularySize-1]
	}
	d := &Dataset{Dictionary: map[string]int{"UNK": 0}, Reverse: []string{"UNK"}, Counts: []int{0}}
	for _, e := range list {
		d.Dictionary[e.w] = len(d.Reverse)
		d.Reverse = append(d.Reverse, e.w)
		d.Counts = append(d.Counts, e.c)
	}
	d.Data = make([]int32, len(words))
	for i, w := range words {
		id := d.Dictionary[w]
		if id == 0 {
			d.Counts[0]++
		}
		d.Data[i] = int32(id)
	}
	return d, nil
}

// Frequent returns n such that ids 1..n-1 are the words seen at least
// minCount times (ids go by decreasing count; all of them for minCount
// <= 1).
func (d *Dataset) Frequent(minCount int) int {
	n := 1
	for n < len(d.Counts) && d.Counts[n] >= minCount {
		n++
	}
	return n
}

// Candidates returns the part of row (one value per id, for example a
// row of cosine similarities) for the ids of the words seen at least
// minCount times, with UNK's value (id 0) set to -Inf when UNK is rarer:
// what Nearest searches to leave out rare words.
func (d *Dataset) Candidates(row []float64, minCount int) []float64 {
	out := append([]float64(nil), row[:min(d.Frequent(minCount), len(row))]...)
	if len(out) > 0 && d.Counts[0] < minCount {
		out[0] = math.Inf(-1)
	}
	return out
}

// Batcher is the notebook's generate_batch with its global data_index: it
// walks the corpus's ids, wrapping around at the end.
type Batcher struct {
	data  []int32
	index int
	rng   *rand.Rand
	keep  []float64 // keep[id]: the probability of keeping a word (nil: all)
}

// Subsample makes the batcher drop frequent words as TF's skipgram op
// (tutorials/embedding/word2vec.py's subsample option, Mikolov et al.,
// 2013, eq. 5) does: each time a word of id w is read it is kept with
// probability (sqrt(f/(t*N)) + 1) * t*N/f, where f = counts[w] and N is
// the sum of counts, and skipped otherwise, before the windows are formed;
// each pass over the data draws anew. t <= 0 keeps every word.
func (b *Batcher) Subsample(counts []int, t float64) {
	if t <= 0 {
		b.keep = nil
		return
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	b.keep = make([]float64, len(counts))
	for w, c := range counts {
		b.keep[w] = 1
		if c > 0 {
			tn := t * float64(n)
			b.keep[w] = (math.Sqrt(float64(c)/tn) + 1) * tn / float64(c)
		}
	}
}

// NewBatcher returns a Batcher over data (Dataset.Data) that starts at the
// first word and draws the context words with rng.
func NewBatcher(data []int32, rng *rand.Rand) *Batcher {
	return &Batcher{data: data, rng: rng}
}

// Index is the position of the next word the batcher reads (the notebook's
// data_index).
func (b *Batcher) Index() int { return b.index }

// GenerateBatch returns batchSize center words ([batchSize] int32) and their
// labels ([batchSize, 1] int32): for each center word numSkips different
// words at most skipWindow away, then the window slides by one word. As in
// the notebook, each batch first fills its window of 2*skipWindow+1 words
// from data_index.
func (b *Batcher) GenerateBatch(batchSize, numSkips, skipWindow int) (batch, labels *tensor.Dense, err error) {
	span := 2*skipWindow + 1
	switch {
	case batchSize <= 0 || numSkips <= 0 || skipWindow <= 0:
		return nil, nil, fmt.Errorf("skipgram.GenerateBatch: batch_size %d, num_skips %d, skip_window %d: want all positive", batchSize, numSkips, skipWindow)
	case batchSize%numSkips != 0:
		return nil, nil, fmt.Errorf("skipgram.GenerateBatch: batch_size %d is not a multiple of num_skips %d", batchSize, numSkips)
	case numSkips > 2*skipWindow:
		return nil, nil, fmt.Errorf("skipgram.GenerateBatch: num_skips %d is more than 2*skip_window (%d)", numSkips, 2*skipWindow)
	case len(b.data) < span:
		return nil, nil, fmt.Errorf("skipgram.GenerateBatch: %d words of data, fewer than a window of %d", len(b.data), span)
	}
	centers := make([]int32, batchSize)
	contexts := make([]int32, batchSize)
	buffer := make([]int32, 0, span)
	push := func() {
		if len(buffer) == span {
			buffer = append(buffer[:0], buffer[1:]...)
		}
		for b.keep != nil && b.rng.Float64() > b.keep[b.data[b.index]] {
			b.index = (b.index + 1) % len(b.data)
		}
		buffer = append(buffer, b.data[b.index])
		b.index = (b.index + 1) % len(b.data)
	}
	for range span {
		push()
	}
	avoid := make([]bool, span)
	for i := 0; i < batchSize/numSkips; i++ {
		target := skipWindow
		for k := range avoid {
			avoid[k] = false
		}
		avoid[skipWindow] = true
		for j := 0; j < numSkips; j++ {
			for avoid[target] {
				target = b.rng.Intn(span)
			}
			avoid[target] = true
			centers[i*numSkips+j] = buffer[skipWindow]
			contexts[i*numSkips+j] = buffer[target]
		}
		push()
	}
	return tensor.New(tensor.WithShape(batchSize), tensor.WithBacking(centers)),
		tensor.New(tensor.WithShape(batchSize, 1), tensor.WithBacking(contexts)), nil
}
