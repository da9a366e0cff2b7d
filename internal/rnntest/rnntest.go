// Package rnntest holds what the RNN tests of nn, nn/rnncell and
// contrib/rnn share: float64 references of TF's cells (the formulas from
// TF's rnn_cell_impl.py written again in plain Go loops over float64s,
// independently of the packages under test, for one sequence at a time),
// random matrices, flattening, and the graph's variable names.
package rnntest

import (
	"math"
	"math/rand"
	"sort"
	"strings"

	"github.com/gorgoflow/gorgoflow/tf"
)

// Weights holds the values of a graph's variables by full name, row-major.
type Weights map[string][]float64

// Step computes one step of a cell for one sequence: input x and state
// (one []float64 per state tensor) give the output and the new state.
type Step func(x []float64, state [][]float64) (out []float64, newState [][]float64)

// Sigmoid is 1/(1+e^-x).
func Sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Affine returns [a, b]·k + bias for k of shape [len(a)+len(b), n] (bias
// nil: none).
func Affine(a, b []float64, k, bias []float64, n int) []float64 {
	in := append(append([]float64(nil), a...), b...)
	out := make([]float64, n)
	for j := 0; j < n; j++ {
		s := 0.0
		if bias != nil {
			s = bias[j]
		}
		for r, v := range in {
			s += v * k[r*n+j]
		}
		out[j] = s
	}
	return out
}

// BasicRNN is TF's BasicRNNCell.call: h' = act([x, h]·kernel + bias), the
// variables scope+"/kernel" and scope+"/bias".
func BasicRNN(w Weights, scope string, n int, act func(float64) float64) Step {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		z := Affine(x, s[0], w[scope+"/kernel"], w[scope+"/bias"], n)
		for j := range z {
			z[j] = act(z[j])
		}
		return z, [][]float64{z}
	}
}

// BasicLSTM is TF's BasicLSTMCell.call, the variables scope+"/kernel" and
// scope+"/bias"; the state is (c, h), or with concat one [c, h] tensor.
func BasicLSTM(w Weights, scope string, n int, forgetBias float64, concat bool) Step {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		var c, h []float64
		if concat {
			c, h = s[0][:n], s[0][n:]
		} else {
			c, h = s[0], s[1]
		}
		z := Affine(x, h, w[scope+"/kernel"], w[scope+"/bias"], 4*n)
		nc, nh := make([]float64, n), make([]float64, n)
		for j := 0; j < n; j++ {
			i, jj, f, o := z[j], z[n+j], z[2*n+j], z[3*n+j]
			nc[j] = c[j]*Sigmoid(f+forgetBias) + Sigmoid(i)*math.Tanh(jj)
			nh[j] = math.Tanh(nc[j]) * Sigmoid(o)
		}
		if concat {
			return nh, [][]float64{append(append([]float64(nil), nc...), nh...)}
		}
		return nh, [][]float64{nc, nh}
	}
}

// GRU is TF's GRUCell.call, the reset gate applied to h before the
// candidate's product; the variables scope+"/gates/kernel", "/gates/bias",
// "/candidate/kernel" and "/candidate/bias".
func GRU(w Weights, scope string, n int) Step {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		h := s[0]
		g := Affine(x, h, w[scope+"/gates/kernel"], w[scope+"/gates/bias"], 2*n)
		r, u := make([]float64, n), make([]float64, n)
		rh := make([]float64, n)
		for j := 0; j < n; j++ {
			r[j], u[j] = Sigmoid(g[j]), Sigmoid(g[n+j])
			rh[j] = r[j] * h[j]
		}
		cand := Affine(x, rh, w[scope+"/candidate/kernel"], w[scope+"/candidate/bias"], n)
		nh := make([]float64, n)
		for j := 0; j < n; j++ {
			nh[j] = u[j]*h[j] + (1-u[j])*math.Tanh(cand[j])
		}
		return nh, [][]float64{nh}
	}
}

// RandMat returns a rows×cols matrix of values drawn uniformly from
// [-1, 1) by r.
func RandMat(r *rand.Rand, rows, cols int) [][]float64 {
	m := make([][]float64, rows)
	for i := range m {
		m[i] = make([]float64, cols)
		for j := range m[i] {
			m[i][j] = r.Float64()*2 - 1
		}
	}
	return m
}

// Flat returns m's rows one after the other.
func Flat(m [][]float64) []float64 {
	var o []float64
	for _, r := range m {
		o = append(o, r...)
	}
	return o
}

// Flat3 returns x's matrices' rows one after the other.
func Flat3(x [][][]float64) []float64 {
	var o []float64
	for _, m := range x {
		o = append(o, Flat(m)...)
	}
	return o
}

// VariableNames returns the names of g's trainable variables, sorted and
// joined by spaces.
func VariableNames(g *tf.Graph) string {
	var n []string
	for _, v := range g.TrainableVariables() {
		n = append(n, v.Name())
	}
	sort.Strings(n)
	return strings.Join(n, " ")
}
