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
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/session"
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

// CheckVariableGradient compares grad, the gradient of loss by the variable
// v whose value in sess is p, with central differences: each element j of
// p named by idx (every element for nil idx) is moved by ±h, v loaded with
// the moved values as dtype dt, and loss run with feed; v is loaded with p
// again at the end. It fails t where |grad[j] - num| > tol·max(1, |num|) or
// either is NaN.
func CheckVariableGradient(t testing.TB, sess *session.Session, loss *tf.Tensor, feed session.Feed, v *tf.Variable, p, grad []float64, dt tf.DType, idx []int, h, tol float64) {
	t.Helper()
	load := func(vals []float64) {
		if err := sess.LoadVariable(v, denseOf(vals, dt, v.Shape())); err != nil {
			t.Fatal(err)
		}
	}
	if idx == nil {
		idx = make([]int, len(p))
		for j := range idx {
			idx[j] = j
		}
	}
	q := append([]float64(nil), p...)
	for _, j := range idx {
		eval := func(x float64) float64 {
			q[j] = x
			load(q)
			r, err := sess.Run(loss, feed)
			if err != nil {
				t.Fatal(err)
			}
			return r[0].Float64s()[0]
		}
		num := (eval(p[j]+h) - eval(p[j]-h)) / (2 * h)
		q[j] = p[j]
		if e := math.Abs(num - grad[j]); !(e <= tol*math.Max(1, math.Abs(num))) {
			t.Errorf("%s element %d: gradient %v, central difference %v", v.Name(), j, grad[j], num)
		}
	}
	load(p)
}

// denseOf returns v as a tensor of dtype dt (float32 or float64) and the
// given shape.
func denseOf(v []float64, dt tf.DType, shape tf.Shape) *tensor.Dense {
	var back any = append([]float64(nil), v...)
	if dt == tf.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		back = f
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(back))
}

// SplitCell is BasicRNNCell's math with its two products apart, as users
// write it: h' = tanh(x·W_x + h·W_h + b), its variables "split_cell/wx",
// "split_cell/wh" and "split_cell/b" made with GetVariable, of x's dtype, on
// the first call; b from BiasInit (zeros when nil). DynamicRNN's generic
// loop hoists x·W_x out of the steps and defers W_h's gradient to one
// product after the reverse pass.
type SplitCell struct {
	N        int
	BiasInit tf.Initializer

	wx, wh, b *tf.Variable
}

// StateSize returns [N].
func (c *SplitCell) StateSize() []int { return []int{c.N} }

// OutputSize returns N.
func (c *SplitCell) OutputSize() int { return c.N }

// ZeroState returns zeros [batch, N].
func (c *SplitCell) ZeroState(batch any, dt tf.DType) []*tf.Tensor {
	return rnncell.ZeroState(c, batch, dt)
}

// Call computes one step.
func (c *SplitCell) Call(x *tf.Tensor, s []*tf.Tensor) (*tf.Tensor, []*tf.Tensor) {
	if c.wx == nil {
		defer tf.VariableScope("split_cell", tf.ReuseInherit)()
		bias := c.BiasInit
		if bias == nil {
			bias = tf.ZerosInitializer()
		}
		c.wx = tf.GetVariable("wx", tf.Shape{x.Shape()[1], c.N}, tf.WithDType(x.DType()))
		c.wh = tf.GetVariable("wh", tf.Shape{c.N, c.N}, tf.WithDType(x.DType()))
		c.b = tf.GetVariable("b", tf.Shape{c.N}, tf.WithDType(x.DType()), tf.WithInitializer(bias))
	}
	h := tf.Tanh(tf.Add(tf.Add(tf.MatMul(x, c.wx), tf.MatMul(s[0], c.wh)), c.b))
	return h, []*tf.Tensor{h}
}
