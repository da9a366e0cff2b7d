package skipgram

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestNewPPMI checks the PPMI values of a small corpus against the formula
// evaluated on a dense count matrix built here.
func TestNewPPMI(t *testing.T) {
	words := strings.Fields("a b a c b a d a b c a b a a d c")
	d, err := BuildDataset(words, 10)
	if err != nil {
		t.Fatal(err)
	}
	V := len(d.Reverse)
	for _, window := range []int{1, 2} {
		n := V - 1 // leave out the rarest word as a row
		p, err := NewPPMI(d.Data, V, n, window)
		if err != nil {
			t.Fatal(err)
		}
		counts := make([][]float64, V)
		for i := range counts {
			counts[i] = make([]float64, V)
		}
		for i := range d.Data {
			for j := max(0, i-window); j <= min(len(d.Data)-1, i+window); j++ {
				if j != i && int(d.Data[i]) < n {
					counts[d.Data[i]][d.Data[j]]++
				}
			}
		}
		total, colSum := 0.0, make([]float64, V)
		for w := range counts {
			for c, k := range counts[w] {
				total += k
				colSum[c] += k
			}
		}
		alphaSum := 0.0
		for _, k := range colSum {
			alphaSum += math.Pow(k, 0.75)
		}
		for w := 0; w < n; w++ {
			rowSum := 0.0
			for _, k := range counts[w] {
				rowSum += k
			}
			got := map[int32]float64{}
			for i, c := range p.Rows[w].Index {
				got[c] = p.Rows[w].Values[i]
			}
			for c := range V {
				want := 0.0
				if k := counts[w][c]; k > 0 {
					pwc, pw, pc := k/total, rowSum/total, math.Pow(colSum[c], 0.75)/alphaSum
					want = math.Max(0, math.Log(pwc/(pw*pc)))
				}
				if math.Abs(got[int32(c)]-want) > 1e-12 {
					t.Errorf("window %d: PPMI(%s, %s) = %v, want %v", window, d.Reverse[w], d.Reverse[c], got[int32(c)], want)
				}
			}
		}
	}
	if _, err := NewPPMI(d.Data, V, V+1, 1); err == nil {
		t.Error("more rows than words: no error")
	}
}

// TestReduceIsTruncatedSVD: with as many columns as words the randomized
// range finder spans the whole row space, so U·sqrt(S)·(U·sqrt(S))ᵀ must
// equal U_d·S_d·U_dᵀ of gonum's exact SVD of the dense matrix.
func TestReduceIsTruncatedSVD(t *testing.T) {
	const n, V, dim = 30, 45, 20
	r := rand.New(rand.NewSource(3))
	p := &PPMI{Rows: make([]SparseRow, n)}
	a := mat.NewDense(n, V, nil)
	for i := range n {
		for c := range V {
			if r.Float64() < 0.3 {
				v := r.ExpFloat64()
				p.Rows[i].Index = append(p.Rows[i].Index, int32(c))
				p.Rows[i].Values = append(p.Rows[i].Values, v)
				a.Set(i, c, v)
			}
		}
	}
	if err := p.Reduce(dim, V, 1); err != nil {
		t.Fatal(err)
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		t.Fatal("gonum's SVD failed")
	}
	var u mat.Dense
	svd.UTo(&u)
	s := svd.Values(nil)
	for i := range n {
		for j := range n {
			want := 0.0
			for k := range dim {
				want += u.At(i, k) * s[k] * u.At(j, k)
			}
			got := 0.0
			for k := range dim {
				got += p.Vectors[i*dim+k] * p.Vectors[j*dim+k]
			}
			if math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
				t.Fatalf("(U S Uᵀ)[%d][%d] = %v, gonum's SVD gives %v", i, j, got, want)
			}
		}
	}
	if err := p.Reduce(n, V, 1); err == nil {
		t.Error("dim = n: no error (needs 10 more rows than dimensions)")
	}
}

// TestPPMINeighbours: on a corpus whose words come in classes sharing
// their neighbours, each word's nearest words by the PPMI-SVD vectors are
// of its class.
func TestPPMINeighbours(t *testing.T) {
	classes := [][]string{
		strings.Fields("cat dog horse sheep goat mouse"),
		strings.Fields("two three four five six seven"),
		strings.Fields("red blue green white black purple"),
		strings.Fields("gold iron copper brass tin lead"),
	}
	contexts := [][2][]string{
		{strings.Fields("a the"), strings.Fields("ran slept")},
		{strings.Fields("for about"), strings.Fields("days years")},
		{strings.Fields("was looked"), strings.Fields("cloth paint")},
		{strings.Fields("of with"), strings.Fields("coins rings")},
	}
	r := rand.New(rand.NewSource(1))
	var words []string
	for range 3000 {
		c := r.Intn(len(classes))
		words = append(words, contexts[c][0][r.Intn(2)], classes[c][r.Intn(6)], contexts[c][1][r.Intn(2)])
	}
	d, err := BuildDataset(words, 100)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPPMI(d.Data, len(d.Reverse), len(d.Reverse), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Reduce(10, len(d.Reverse), 1); err != nil {
		t.Fatal(err)
	}
	classOf := map[string]int{}
	for i, c := range classes {
		for _, w := range c {
			classOf[w] = i + 1
		}
	}
	for w, c := range classOf {
		id := d.Dictionary[w]
		near := Nearest(d.Candidates(p.Similarities(id), 1), d.Reverse, id, 5)
		for _, x := range near {
			if classOf[x] != c {
				t.Errorf("nearest to %s: %v, %s is not of its class", w, near, x)
				break
			}
		}
	}
}

// TestCandidates: the words seen at least minCount times are the first
// ids; UNK is left out when rarer.
func TestCandidates(t *testing.T) {
	d, err := BuildDataset(strings.Fields("a a a b b c d d d d e"), 4) // UNK holds c and e
	if err != nil {
		t.Fatal(err)
	}
	// ids: UNK (2), d (4), a (3), b (2)
	for _, c := range []struct{ minCount, n int }{{1, 4}, {2, 4}, {3, 3}, {4, 2}, {5, 1}} {
		if got := d.Frequent(c.minCount); got != c.n {
			t.Errorf("Frequent(%d) = %d, want %d", c.minCount, got, c.n)
		}
	}
	row := []float64{9, 1, 2, 3}
	if got := d.Candidates(row, 2); len(got) != 4 || got[0] != 9 {
		t.Errorf("Candidates(row, 2) = %v: UNK seen twice is a candidate", got)
	}
	if got := d.Candidates(row, 3); len(got) != 3 || !math.IsInf(got[0], -1) || got[2] != 2 {
		t.Errorf("Candidates(row, 3) = %v, want [-Inf 1 2]", got)
	}
	if row[0] != 9 {
		t.Error("Candidates changed its argument")
	}
}
