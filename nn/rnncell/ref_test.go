package rnncell_test

import "math"

// The cells' formulas from TF's rnn_cell_impl.py, written again in plain Go
// loops over float64s, independently of the package: the references the
// tests compare the graphs' values with.

// weights holds the values of a graph's variables by full name, row-major.
type weights map[string][]float64

// refStep computes one step of a cell for one sequence: input x and state
// (one []float64 per state tensor) give the output and the new state.
type refStep func(x []float64, state [][]float64) (out []float64, newState [][]float64)

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// affine returns [a, b]·k + bias for k of shape [len(a)+len(b), n] (bias
// nil: none).
func affine(a, b []float64, k, bias []float64, n int) []float64 {
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

func clip(x, c float64) float64 { return math.Max(-c, math.Min(c, x)) }

// refBasicRNN: h' = act([x, h]·kernel + bias).
func refBasicRNN(w weights, scope string, n int, act func(float64) float64) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		z := affine(x, s[0], w[scope+"/kernel"], w[scope+"/bias"], n)
		for j := range z {
			z[j] = act(z[j])
		}
		return z, [][]float64{z}
	}
}

// refBasicLSTM: TF's BasicLSTMCell.call. concat: the state is one [c, h]
// tensor.
func refBasicLSTM(w weights, scope string, n int, forgetBias float64, concat bool) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		c, h := split2(s, concat, n)
		z := affine(x, h, w[scope+"/kernel"], w[scope+"/bias"], 4*n)
		nc, nh := make([]float64, n), make([]float64, n)
		for j := 0; j < n; j++ {
			i, jj, f, o := z[j], z[n+j], z[2*n+j], z[3*n+j]
			nc[j] = c[j]*sigmoid(f+forgetBias) + sigmoid(i)*math.Tanh(jj)
			nh[j] = math.Tanh(nc[j]) * sigmoid(o)
		}
		return nh, join2(nc, nh, concat)
	}
}

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

// refGRU: TF's GRUCell.call, the reset gate applied to h before the
// candidate's product.
func refGRU(w weights, scope string, n int) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		h := s[0]
		g := affine(x, h, w[scope+"/gates/kernel"], w[scope+"/gates/bias"], 2*n)
		r, u := make([]float64, n), make([]float64, n)
		rh := make([]float64, n)
		for j := 0; j < n; j++ {
			r[j], u[j] = sigmoid(g[j]), sigmoid(g[n+j])
			rh[j] = r[j] * h[j]
		}
		cand := affine(x, rh, w[scope+"/candidate/kernel"], w[scope+"/candidate/bias"], n)
		nh := make([]float64, n)
		for j := 0; j < n; j++ {
			nh[j] = u[j]*h[j] + (1-u[j])*math.Tanh(cand[j])
		}
		return nh, [][]float64{nh}
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

func split2(s [][]float64, concat bool, n int) (c, h []float64) {
	if concat {
		return s[0][:n], s[0][n:]
	}
	return s[0], s[1]
}

func join2(c, h []float64, concat bool) [][]float64 {
	if concat {
		return [][]float64{append(append([]float64(nil), c...), h...)}
	}
	return [][]float64{c, h}
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
