package skipgram

import (
	"fmt"
	"math"
	"math/rand"

	"gonum.org/v1/plot/plotter"
)

// TSNE returns a 2-D embedding of the n rows of x (n x dim, row-major) by
// exact t-SNE (van der Maaten and Hinton, 2008), as scikit-learn's
// TSNE(n_components=2, perplexity, init="pca", method="exact") that the
// notebook's figure uses: Gaussian affinities whose per-point widths give
// the perplexity, a Student-t kernel in 2-D, gradient descent with
// momentum (0.5 for the first 250 iterations, under early exaggeration 12,
// then 0.8), per-coordinate gains and the learning rate max(n/48, 50).
// It starts from the first two principal components (scaled to a standard
// deviation of 1e-4), so the result depends on x alone. The cost is O(n²)
// per iteration: meant for the few hundred words of a figure.
func TSNE(x []float64, dim int, perplexity float64, iterations int) (plotter.XYs, error) {
	if dim < 1 || len(x) == 0 || len(x)%dim != 0 {
		return nil, fmt.Errorf("skipgram.TSNE: %d values of rows of %d: want a whole number of rows", len(x), dim)
	}
	n := len(x) / dim
	if n < 3 || perplexity <= 0 || perplexity >= float64(n-1) {
		return nil, fmt.Errorf("skipgram.TSNE: perplexity %v for %d points: want 0 < perplexity < %d", perplexity, n, n-1)
	}
	if iterations < 1 {
		return nil, fmt.Errorf("skipgram.TSNE: %d iterations, want at least 1", iterations)
	}
	p := jointProbabilities(x, dim, perplexity)

	y := make([]float64, 2*n)
	if init, err := PCA2(x, dim); err == nil {
		mean, sd := 0.0, 0.0
		for _, q := range init {
			mean += q.X
		}
		mean /= float64(n)
		for _, q := range init {
			sd += (q.X - mean) * (q.X - mean)
		}
		sd = math.Sqrt(sd / float64(n))
		if sd == 0 {
			sd = 1
		}
		for i, q := range init {
			y[2*i], y[2*i+1] = q.X/sd*1e-4, q.Y/sd*1e-4
		}
	} else {
		r := rand.New(rand.NewSource(0))
		for i := range y {
			y[i] = r.NormFloat64() * 1e-4
		}
	}

	const exaggeration, exploration = 12.0, 250
	rate := math.Max(float64(n)/exaggeration/4, 50)
	update := make([]float64, 2*n)
	gains := make([]float64, 2*n)
	for i := range gains {
		gains[i] = 1
	}
	grad := make([]float64, 2*n)
	num := make([]float64, n*n)
	for it := 0; it < iterations; it++ {
		ex, momentum := 1.0, 0.8
		if it < exploration {
			ex, momentum = exaggeration, 0.5
		}
		// Student-t affinities q_ij = num_ij / sum.
		sum := 0.0
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
				v := 1 / (1 + dx*dx + dy*dy)
				num[i*n+j], num[j*n+i] = v, v
				sum += 2 * v
			}
		}
		// dC/dy_i = 4 sum_j (p_ij - q_ij) num_ij (y_i - y_j).
		for i := range grad {
			grad[i] = 0
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if i == j {
					continue
				}
				v := num[i*n+j]
				w := 4 * (ex*p[i*n+j] - math.Max(v/sum, 1e-12)) * v
				grad[2*i] += w * (y[2*i] - y[2*j])
				grad[2*i+1] += w * (y[2*i+1] - y[2*j+1])
			}
		}
		for k := range y {
			if (update[k] > 0) != (grad[k] > 0) {
				gains[k] += 0.2
			} else {
				gains[k] = math.Max(gains[k]*0.8, 0.01)
			}
			update[k] = momentum*update[k] - rate*gains[k]*grad[k]
			y[k] += update[k]
		}
	}
	out := make(plotter.XYs, n)
	for i := range out {
		out[i].X, out[i].Y = y[2*i], y[2*i+1]
	}
	return out, nil
}

// jointProbabilities returns t-SNE's symmetric affinities p_ij (n x n,
// summing to 1): each point's conditional Gaussian p_j|i has the width
// whose perplexity exp(entropy) is the one given, then p_ij = (p_j|i +
// p_i|j) / sum.
func jointProbabilities(x []float64, dim int, perplexity float64) []float64 {
	n := len(x) / dim
	d := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := 0.0
			for k := 0; k < dim; k++ {
				t := x[i*dim+k] - x[j*dim+k]
				s += t * t
			}
			d[i*n+j], d[j*n+i] = s, s
		}
	}
	cond := make([]float64, n*n)
	for i := 0; i < n; i++ {
		conditionalRow(d[i*n:(i+1)*n], i, perplexity, cond[i*n:(i+1)*n])
	}
	p := make([]float64, n*n)
	sum := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p[i*n+j] = cond[i*n+j] + cond[j*n+i]
			sum += p[i*n+j]
		}
	}
	for k := range p {
		p[k] = math.Max(p[k]/sum, 1e-12)
	}
	return p
}

// conditionalRow sets row to p_j|i = exp(-beta d_j) / sum over j != self,
// with beta found by bisection so that the entropy (in nats) is
// log(perplexity), as scikit-learn's _binary_search_perplexity.
func conditionalRow(d []float64, self int, perplexity float64, row []float64) {
	want := math.Log(perplexity)
	beta, lo, hi := 1.0, math.Inf(-1), math.Inf(1)
	for range 100 {
		sum := 0.0
		for j, dj := range d {
			row[j] = 0
			if j != self {
				row[j] = math.Exp(-dj * beta)
				sum += row[j]
			}
		}
		if sum == 0 {
			sum = 1e-8
		}
		h, dsum := 0.0, 0.0
		for j := range row {
			row[j] /= sum
			dsum += d[j] * row[j]
		}
		h = math.Log(sum) + beta*dsum
		diff := h - want
		if math.Abs(diff) < 1e-5 {
			break
		}
		if diff > 0 { // too flat: narrower
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			if math.IsInf(lo, -1) {
				beta /= 2
			} else {
				beta = (beta + lo) / 2
			}
		}
	}
}
