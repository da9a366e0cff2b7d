package rnncell_test

import (
	"math"

	"github.com/gorgoflow/gorgoflow/internal/rnntest"
)

// The cells' formulas from TF's rnn_cell_impl.py, written again in plain Go
// loops over float64s, independently of the package: the references the
// tests compare the graphs' values with. BasicRNNCell's, BasicLSTMCell's and
// GRUCell's are rnntest's (package nn's tests use them too), and so are the
// types and helpers below, named short here.

type (
	weights = rnntest.Weights
	refStep = rnntest.Step
)

var (
	sigmoid = rnntest.Sigmoid
	affine  = rnntest.Affine
)

func clip(x, c float64) float64 { return math.Max(-c, math.Min(c, x)) }

// lstmConf is the configuration of an LSTMCell reference.
type lstmConf struct {
	n, proj            int // proj 0: none
	peep               bool
	cellClip, projClip float64 // 0: none
	forgetBias         float64
}

// refLSTM: TF's LSTMCell.call.
func refLSTM(w weights, scope string, cf lstmConf) refStep {
	n, p := cf.n, cf.n
	if cf.proj > 0 {
		p = cf.proj
	}
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		c, m := s[0], s[1]
		z := affine(x, m, w[scope+"/kernel"], w[scope+"/bias"], 4*n)
		nc, nm := make([]float64, n), make([]float64, n)
		for j := 0; j < n; j++ {
			i, jj, f, o := z[j], z[n+j], z[2*n+j], z[3*n+j]
			if cf.peep {
				nc[j] = sigmoid(f+cf.forgetBias+w[scope+"/w_f_diag"][j]*c[j])*c[j] + sigmoid(i+w[scope+"/w_i_diag"][j]*c[j])*math.Tanh(jj)
			} else {
				nc[j] = sigmoid(f+cf.forgetBias)*c[j] + sigmoid(i)*math.Tanh(jj)
			}
			if cf.cellClip > 0 {
				nc[j] = clip(nc[j], cf.cellClip)
			}
			if cf.peep {
				nm[j] = sigmoid(o+w[scope+"/w_o_diag"][j]*nc[j]) * math.Tanh(nc[j])
			} else {
				nm[j] = sigmoid(o) * math.Tanh(nc[j])
			}
		}
		if cf.proj > 0 {
			nm = affine(nm, nil, w[scope+"/projection/kernel"], nil, p)
			if cf.projClip > 0 {
				for j := range nm {
					nm[j] = clip(nm[j], cf.projClip)
				}
			}
		}
		return nm, [][]float64{nc, nm}
	}
}

// refMulti chains steps, each layer taking nState[l] state tensors.
func refMulti(layers []refStep, nState []int) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		var ns [][]float64
		cur, k := x, 0
		for l, step := range layers {
			var st [][]float64
			cur, st = step(cur, s[k:k+nState[l]])
			ns = append(ns, st...)
			k += nState[l]
		}
		return cur, ns
	}
}

// refResidual adds the inputs to the output.
func refResidual(inner refStep) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		out, ns := inner(x, s)
		res := make([]float64, len(out))
		for j := range out {
			res[j] = x[j] + out[j]
		}
		return res, ns
	}
}

// refLoop runs step over x [batch][time][depth] from zero states of sizes,
// with TF's sequence_length semantics when lens is not nil: past a
// sequence's length the output is zeros and the state is copied through.
func refLoop(step refStep, x [][][]float64, sizes []int, outSize int, lens []int) (outs [][][]float64, final [][][]float64) {
	for b := range x {
		st := make([][]float64, len(sizes))
		for i, n := range sizes {
			st[i] = make([]float64, n)
		}
		var ob [][]float64
		for t := range x[b] {
			if lens != nil && t >= lens[b] {
				ob = append(ob, make([]float64, outSize))
				continue
			}
			var o []float64
			o, st = step(x[b][t], st)
			ob = append(ob, o)
		}
		outs = append(outs, ob)
		final = append(final, st)
	}
	return outs, final
}
