package skipgram

import (
	"fmt"
	"math"
	"math/rand"

	"gonum.org/v1/gonum/mat"
)

// PPMI holds count-based word vectors, an independent baseline for the
// skip-gram embeddings (Levy, Goldberg and Dagan, "Improving Distributional
// Similarity with Lessons Learned from Word Embeddings", 2015): the
// positive pointwise mutual information of each word of the n most
// frequent ids (0..n-1) with each context word at most window words away,
// reduced to dim dimensions by a truncated SVD.
type PPMI struct {
	// Rows holds one sparse row per word: the context ids and their
	// PPMI values, by increasing context id.
	Rows []SparseRow
	// Vectors are the rows of U·sqrt(S) of the truncated SVD, n x dim
	// row-major (nil before Reduce).
	Vectors []float64
	Dim     int
}

// SparseRow is a sparse vector: Values[i] at index Index[i].
type SparseRow struct {
	Index  []int32
	Values []float64
}

// NewPPMI counts, for the words of data (Dataset.Data) whose id is below n,
// their context words at distances 1..window on both sides (the pairs the
// skip-gram batches of that skip window hold) and returns their PPMI:
// max(0, log(P(w,c) / (P(w) P_α(c)))) with the contexts' distribution
// smoothed as count(c)^0.75 / Σ count^0.75 (the paper's cds).
func NewPPMI(data []int32, vocab, n, window int) (*PPMI, error) {
	if n < 2 || n > vocab || window < 1 {
		return nil, fmt.Errorf("skipgram.NewPPMI: %d words of a vocabulary of %d, window %d: want 2 <= n <= vocabulary and window >= 1", n, vocab, window)
	}
	pairs := make([]map[int32]float64, n)
	for i := range pairs {
		pairs[i] = map[int32]float64{}
	}
	ctxCount := make([]float64, vocab)
	for i, w := range data {
		if int(w) >= n {
			continue
		}
		for d := -window; d <= window; d++ {
			j := i + d
			if d == 0 || j < 0 || j >= len(data) {
				continue
			}
			c := data[j]
			if int(c) >= vocab || c < 0 {
				return nil, fmt.Errorf("skipgram.NewPPMI: data[%d] = %d is not in [0, %d)", j, c, vocab)
			}
			pairs[w][c]++
			ctxCount[c]++
		}
	}
	total, smoothed := 0.0, 0.0
	for _, c := range ctxCount {
		total += c
		smoothed += math.Pow(c, 0.75)
	}
	if total == 0 {
		return nil, fmt.Errorf("skipgram.NewPPMI: no pairs among %d words", len(data))
	}
	p := &PPMI{Rows: make([]SparseRow, n)}
	for w, m := range pairs {
		rowTotal := 0.0
		for _, k := range m {
			rowTotal += k
		}
		var r SparseRow
		for c := int32(0); int(c) < vocab; c++ {
			k, ok := m[c]
			if !ok {
				continue
			}
			// P(w,c) / (P(w) P_α(c)) = k/total / (rowTotal/total · count(c)^α/smoothed)
			pmi := math.Log(k * smoothed / (rowTotal * math.Pow(ctxCount[c], 0.75)))
			if pmi > 0 {
				r.Index = append(r.Index, c)
				r.Values = append(r.Values, pmi)
			}
		}
		p.Rows[w] = r
	}
	return p, nil
}

// Reduce sets Vectors to the n x dim rows of U_dim·sqrt(S_dim), the
// truncated SVD of the PPMI matrix A (n x vocab), computed by a randomized
// range finder (Halko, Martinsson and Tropp, 2011: dim+10 columns, 3 power
// iterations, Q = orth(A·(Aᵀ·A)³·Ω)) and the exact eigendecomposition of
// the small Qᵀ·A·Aᵀ·Q = U_b·S²·U_bᵀ, U = Q·U_b.
func (p *PPMI) Reduce(dim, vocab int, seed int64) error {
	n := len(p.Rows)
	k := dim + 10
	if dim < 1 || k > n {
		return fmt.Errorf("skipgram.PPMI.Reduce: %d dimensions of %d words: want 1 <= dim <= words-10", dim, n)
	}
	for i, r := range p.Rows {
		if len(r.Index) > 0 && int(r.Index[len(r.Index)-1]) >= vocab {
			return fmt.Errorf("skipgram.PPMI.Reduce: row %d has context %d, outside a vocabulary of %d", i, r.Index[len(r.Index)-1], vocab)
		}
	}
	// Matrices of k columns, row-major.
	mul := func(x []float64) []float64 { // A·x: (n x vocab)·(vocab x k)
		out := make([]float64, n*k)
		for i, r := range p.Rows {
			row := out[i*k : (i+1)*k]
			for t, c := range r.Index {
				axpy(row, r.Values[t], x[int(c)*k:(int(c)+1)*k])
			}
		}
		return out
	}
	mulT := func(y []float64) []float64 { // Aᵀ·y: (vocab x n)·(n x k)
		out := make([]float64, vocab*k)
		for i, r := range p.Rows {
			yr := y[i*k : (i+1)*k]
			for t, c := range r.Index {
				axpy(out[int(c)*k:(int(c)+1)*k], r.Values[t], yr)
			}
		}
		return out
	}
	rng := rand.New(rand.NewSource(seed))
	omega := make([]float64, vocab*k)
	for i := range omega {
		omega[i] = rng.NormFloat64()
	}
	q := orthonormalize(mul(omega), k)
	for range 3 {
		q = orthonormalize(mul(orthonormalize(mulT(q), k)), k)
	}
	// Qᵀ·A·Aᵀ·Q = Bᵀ·B with B = Aᵀ·Q (vocab x k).
	b := mat.NewDense(vocab, k, mulT(q))
	var bb mat.SymDense
	bb.SymOuterK(1, b.T())
	var eig mat.EigenSym
	if !eig.Factorize(&bb, true) {
		return fmt.Errorf("skipgram.PPMI.Reduce: the eigendecomposition did not converge")
	}
	var ub mat.Dense
	eig.VectorsTo(&ub)
	s2 := eig.Values(nil) // ascending
	var u mat.Dense
	u.Mul(mat.NewDense(n, k, q), &ub) // n x k
	p.Dim = dim
	p.Vectors = make([]float64, n*dim)
	for i := range n {
		for j := range dim {
			col := k - 1 - j // the largest first
			p.Vectors[i*dim+j] = u.At(i, col) * math.Sqrt(math.Sqrt(math.Max(s2[col], 0)))
		}
	}
	return nil
}

// axpy adds a·x to y.
func axpy(y []float64, a float64, x []float64) {
	for j, v := range x {
		y[j] += a * v
	}
}

// orthonormalize returns an orthonormal basis of the columns of y (rows
// of k, row-major) by modified Gram-Schmidt, twice; a column that
// vanishes is left zero.
func orthonormalize(y []float64, k int) []float64 {
	rows := len(y) / k
	for range 2 {
		for j := range k {
			for l := range j {
				d := 0.0
				for i := range rows {
					d += y[i*k+j] * y[i*k+l]
				}
				for i := range rows {
					y[i*k+j] -= d * y[i*k+l]
				}
			}
			norm := 0.0
			for i := range rows {
				norm += y[i*k+j] * y[i*k+j]
			}
			norm = math.Sqrt(norm)
			for i := range rows {
				if norm > 1e-300 {
					y[i*k+j] /= norm
				} else {
					y[i*k+j] = 0
				}
			}
		}
	}
	return y
}

// Similarities returns the cosine similarities of word w's vector with
// those of all n words.
func (p *PPMI) Similarities(w int) []float64 {
	return cosineRow(p.Vectors, p.Dim, w)
}

// cosineRow returns the cosine similarities of row w of x (rows of dim)
// with all its rows (0 for a zero row).
func cosineRow(x []float64, dim, w int) []float64 {
	n := len(x) / dim
	norm := func(i int) float64 {
		s := 0.0
		for _, v := range x[i*dim : (i+1)*dim] {
			s += v * v
		}
		return math.Sqrt(s)
	}
	out := make([]float64, n)
	nw := norm(w)
	for i := range n {
		d := 0.0
		for j := range dim {
			d += x[w*dim+j] * x[i*dim+j]
		}
		if den := nw * norm(i); den > 0 {
			out[i] = d / den
		}
	}
	return out
}
