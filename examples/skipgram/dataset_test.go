package skipgram

import (
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func TestBuildDataset(t *testing.T) {
	words := []string{"a", "b", "a", "c", "a", "b", "d"}
	d, err := BuildDataset(words, 3) // UNK + the 2 most common
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Reverse, []string{"UNK", "a", "b"}) {
		t.Fatalf("vocabulary %v", d.Reverse)
	}
	if want := []int32{1, 2, 1, 0, 1, 2, 0}; !reflect.DeepEqual(d.Data, want) {
		t.Errorf("data %v, want %v", d.Data, want)
	}
	if want := []int{2, 3, 2}; !reflect.DeepEqual(d.Counts, want) {
		t.Errorf("counts %v, want %v", d.Counts, want)
	}
	// A vocabulary larger than the corpus's words holds them all: c and d
	// tie and go alphabetically.
	d, err = BuildDataset(words, 50000)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Reverse, []string{"UNK", "a", "b", "c", "d"}) || d.Counts[0] != 0 || d.Dictionary["d"] != 4 {
		t.Errorf("whole vocabulary %v, counts %v", d.Reverse, d.Counts)
	}
	for _, c := range []struct {
		words []string
		size  int
		want  string
	}{{words, 1, "vocabulary size 1"}, {nil, 10, "no words"}} {
		if _, err := BuildDataset(c.words, c.size); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("BuildDataset(%v, %d): error %v, want one saying %q", c.words, c.size, err, c.want)
		}
	}
}

func TestGenerateBatch(t *testing.T) {
	data := make([]int32, 50)
	for i := range data {
		data[i] = int32(i)
	}
	b := NewBatcher(data, rand.New(rand.NewSource(1)))
	x, y, err := b.GenerateBatch(8, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !x.Shape().Eq([]int{8}) || !y.Shape().Eq([]int{8, 1}) {
		t.Fatalf("shapes %v %v", x.Shape(), y.Shape())
	}
	xs, ys := x.Data().([]int32), y.Data().([]int32)
	// Centers 1, 1, 2, 2, 3, 3, 4, 4, each with both neighbours.
	for i := 0; i < 8; i += 2 {
		c := int32(1 + i/2)
		if xs[i] != c || xs[i+1] != c {
			t.Fatalf("centers %v", xs)
		}
		got := map[int32]bool{ys[i]: true, ys[i+1]: true}
		if !got[c-1] || !got[c+1] {
			t.Errorf("center %d: context %v, want %d and %d", c, []int32{ys[i], ys[i+1]}, c-1, c+1)
		}
	}
	// As the notebook's generate_batch, the next batch refills its window
	// from data_index (7: 3 words for the first window, one more after
	// each of 4 centers): its first center is 8.
	if b.Index() != 7 {
		t.Errorf("data_index %d, want 7", b.Index())
	}
	x, _, _ = b.GenerateBatch(2, 2, 1)
	if x.Data().([]int32)[0] != 8 {
		t.Errorf("second batch centers %v", x.Data())
	}
	// Skip window 2, 4 skips: every word of the window but the center, once.
	b = NewBatcher(data, rand.New(rand.NewSource(2)))
	x, y, _ = b.GenerateBatch(4, 4, 2)
	ctx := map[int32]bool{}
	for i, c := range x.Data().([]int32) {
		if c != 2 {
			t.Errorf("center %d: %d, want 2", i, c)
		}
		ctx[y.Data().([]int32)[i]] = true
	}
	if !reflect.DeepEqual(ctx, map[int32]bool{0: true, 1: true, 3: true, 4: true}) {
		t.Errorf("contexts %v, want 0 1 3 4", ctx)
	}
	// The data wraps around.
	b = NewBatcher(data[:5], rand.New(rand.NewSource(3)))
	x, _, _ = b.GenerateBatch(10, 2, 1)
	if want := []int32{1, 1, 2, 2, 3, 3, 4, 4, 0, 0}; !reflect.DeepEqual(x.Data(), want) {
		t.Errorf("centers over wrapped data %v, want %v", x.Data(), want)
	}
}

func TestGenerateBatchErrors(t *testing.T) {
	b := NewBatcher([]int32{1, 2, 3, 4}, rand.New(rand.NewSource(1)))
	for _, c := range []struct {
		batch, skips, window int
		want                 string
	}{
		{7, 2, 1, "batch_size 7 is not a multiple of num_skips 2"},
		{8, 4, 1, "num_skips 4 is more than 2*skip_window (2)"},
		{8, 2, 0, "want all positive"},
		{8, 2, 2, "4 words of data, fewer than a window of 5"},
	} {
		if _, _, err := b.GenerateBatch(c.batch, c.skips, c.window); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("GenerateBatch(%d, %d, %d): error %v, want one saying %q", c.batch, c.skips, c.window, err, c.want)
		}
	}
}

// TestSubsample: with Subsample a word of count c among N is read with
// probability (sqrt(c/(t*N)) + 1) * t*N/c, as TF's skipgram op keeps
// it.
func TestSubsample(t *testing.T) {
	// Word 1 is 90% of a corpus of 10,000 words, words 2..1001 once each.
	const n = 10000
	data := make([]int32, n)
	counts := make([]int, 1002)
	for i := range data {
		w := int32(1)
		if i%10 == 9 {
			w = int32(2 + i/10)
		}
		data[i] = w
		counts[w]++
	}
	const thr = 1e-3
	keep1 := (math.Sqrt(float64(counts[1])/(thr*n)) + 1) * thr * n / float64(counts[1]) // 0.0345
	b := NewBatcher(data, rand.New(rand.NewSource(4)))
	b.Subsample(counts, thr)
	seen := map[int32]int{}
	reads := 0
	for range 200 {
		x, _, err := b.GenerateBatch(100, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range x.Data().([]int32) {
			seen[c]++
			reads++
		}
	}
	// Each pass reads 9,000 * keep1 = 310 copies of word 1 and the 1,000
	// rare words: word 1 is 310/1310 = 24% of the centers.
	want := 9000 * keep1 / (9000*keep1 + 1000)
	if got := float64(seen[1]) / float64(reads); math.Abs(got-want) > 0.03 {
		t.Errorf("word 1 is %.3f of the centers, want %.3f (kept with probability %.4f)", got, want, keep1)
	}
	b.Subsample(counts, 0)
	x, _, _ := b.GenerateBatch(100, 2, 1)
	ones := 0
	for _, c := range x.Data().([]int32) {
		if c == 1 {
			ones++
		}
	}
	if ones < 80 {
		t.Errorf("after Subsample(counts, 0) word 1 is %d of 100 centers, want about 90", ones)
	}
}
