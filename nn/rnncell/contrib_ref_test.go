package rnncell_test

import "math"

// The formulas of the cells of TF's contrib/rnn/python/ops/rnn_cell.py,
// written again in plain Go over float64s, independently of the package.

// refLayerNorm is tf.contrib.layers.layer_norm of one row with the
// variables <scope>/gamma and <scope>/beta: (x - mean)/sqrt(var +
// 1e-12)·gamma + beta, var the population variance.
func refLayerNorm(w weights, scope string, x []float64) []float64 {
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	variance := 0.0
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	variance /= float64(len(x))
	out := make([]float64, len(x))
	for k, v := range x {
		out[k] = (v-mean)/math.Sqrt(variance+1e-12)*w[scope+"/gamma"][k] + w[scope+"/beta"][k]
	}
	return out
}

// refLayerNormBasicLSTM: TF's LayerNormBasicLSTMCell.call without dropout.
func refLayerNormBasicLSTM(w weights, scope string, n int, forgetBias float64, layerNorm bool) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		c, h := s[0], s[1]
		var bias []float64
		if !layerNorm {
			bias = w[scope+"/bias"]
		}
		z := affine(x, h, w[scope+"/kernel"], bias, 4*n)
		i, j, f, o := z[:n], z[n:2*n], z[2*n:3*n], z[3*n:]
		if layerNorm {
			i, j = refLayerNorm(w, scope+"/input", i), refLayerNorm(w, scope+"/transform", j)
			f, o = refLayerNorm(w, scope+"/forget", f), refLayerNorm(w, scope+"/output", o)
		}
		nc, nh := make([]float64, n), make([]float64, n)
		for k := range nc {
			nc[k] = c[k]*sigmoid(f[k]+forgetBias) + sigmoid(i[k])*math.Tanh(j[k])
		}
		if layerNorm {
			nc = refLayerNorm(w, scope+"/state", nc)
		}
		for k := range nh {
			nh[k] = math.Tanh(nc[k]) * sigmoid(o[k])
		}
		return nh, [][]float64{nc, nh}
	}
}

// vecConcat returns the concatenation of vs.
func vecConcat(vs ...[]float64) []float64 {
	var out []float64
	for _, v := range vs {
		out = append(out, v...)
	}
	return out
}

// matVec returns x·k for k of shape [len(x), n], plus bias when not nil.
func matVec(x, k, bias []float64, n int) []float64 { return affine(x, nil, k, bias, n) }

// refCIFG: TF's CoupledInputForgetGateLSTMCell.call, the kernel W (and the
// projection W_P) given as the row-wise concatenation of their shards.
type cifgConf struct {
	n, proj          int
	peep, ln         bool
	projClip         float64 // 0: none
	forgetBias       float64
	concat           bool // state not a tuple
	wShards, pShards int
}

func shardsConcat(w weights, prefix string, k int) []float64 {
	var out []float64
	for i := 0; i < k; i++ {
		out = append(out, w[prefix+"_"+string(rune('0'+i))]...)
	}
	return out
}

func refCIFG(w weights, scope string, cf cifgConf) refStep {
	n, p := cf.n, cf.n
	if cf.proj > 0 {
		p = cf.proj
	}
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		var c, m []float64
		if cf.concat {
			c, m = s[0][:n], s[0][n:]
		} else {
			c, m = s[0], s[1]
		}
		var bias []float64
		if !cf.ln {
			bias = w[scope+"/B"]
		}
		z := affine(x, m, shardsConcat(w, scope+"/W", cf.wShards), bias, 3*n)
		j, f, o := z[:n], z[n:2*n], z[2*n:]
		if cf.ln {
			j, f, o = refLayerNorm(w, scope+"/transform", j), refLayerNorm(w, scope+"/forget", f), refLayerNorm(w, scope+"/output", o)
		}
		nc := make([]float64, n)
		for k := range nc {
			fa := f[k] + cf.forgetBias
			if cf.peep {
				fa += w[scope+"/W_F_diag"][k] * c[k]
			}
			fa = sigmoid(fa)
			nc[k] = fa*c[k] + (1-fa)*math.Tanh(j[k])
		}
		if cf.ln {
			nc = refLayerNorm(w, scope+"/state", nc)
		}
		nm := make([]float64, n)
		for k := range nm {
			oa := o[k]
			if cf.peep {
				oa += w[scope+"/W_O_diag"][k] * nc[k]
			}
			nm[k] = sigmoid(oa) * math.Tanh(nc[k])
		}
		if cf.proj > 0 {
			nm = matVec(nm, shardsConcat(w, scope+"/W_P", cf.pShards), nil, p)
			if cf.projClip > 0 {
				for k := range nm {
					nm[k] = clip(nm[k], cf.projClip)
				}
			}
		}
		if cf.concat {
			return nm, [][]float64{vecConcat(nc, nm)}
		}
		return nm, [][]float64{nc, nm}
	}
}

// refUGRNN: TF's UGRNNCell.call.
func refUGRNN(w weights, scope string, n int, forgetBias float64) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		h := s[0]
		z := affine(x, h, w[scope+"/kernel"], w[scope+"/bias"], 2*n)
		nh := make([]float64, n)
		for k := range nh {
			g := sigmoid(z[k] + forgetBias)
			nh[k] = g*h[k] + (1-g)*math.Tanh(z[n+k])
		}
		return nh, [][]float64{nh}
	}
}

// refIntersection: TF's IntersectionRNNCell.call (relu y_activation).
func refIntersection(w weights, scope string, n int, forgetBias float64, proj bool) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		st := s[0]
		if proj {
			x = matVec(x, w[scope+"/in_projection/kernel"], w[scope+"/in_projection/bias"], n)
		}
		z := affine(x, st, w[scope+"/kernel"], w[scope+"/bias"], 4*n)
		ns, ny := make([]float64, n), make([]float64, n)
		for k := 0; k < n; k++ {
			gh, h := sigmoid(z[k]+forgetBias), math.Tanh(z[n+k])
			gy, y := sigmoid(z[2*n+k]+forgetBias), math.Max(0, z[3*n+k])
			ns[k] = gh*st[k] + (1-gh)*h
			ny[k] = gy*x[k] + (1-gy)*y
		}
		return ny, [][]float64{ns}
	}
}

// refNAS: TF's NASCell.call.
func refNAS(w weights, scope string, n, proj int, useBias bool) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		c, m := s[0], s[1]
		var bias []float64
		if useBias {
			bias = w[scope+"/bias"]
		}
		mm := matVec(m, w[scope+"/recurrent_kernel"], bias, 8*n)
		im := matVec(x, w[scope+"/kernel"], nil, 8*n)
		relu := func(v float64) float64 { return math.Max(0, v) }
		nc, nm := make([]float64, n), make([]float64, n)
		for k := 0; k < n; k++ {
			a := func(i int) float64 { return im[i*n+k] }
			b := func(i int) float64 { return mm[i*n+k] }
			l0, l1 := sigmoid(a(0)+b(0)), relu(a(1)+b(1))
			l2, l3 := sigmoid(a(2)+b(2)), relu(a(3)*b(3))
			l4, l5 := math.Tanh(a(4)+b(4)), sigmoid(a(5)+b(5))
			l6, l7 := math.Tanh(a(6)+b(6)), sigmoid(a(7)+b(7))
			m0 := math.Tanh(math.Tanh(l0*l1) + c[k])
			nc[k] = m0 * math.Tanh(l2+l3)
			nm[k] = math.Tanh(nc[k] * math.Tanh(math.Tanh(l4*l5)+sigmoid(l6+l7)))
		}
		if proj > 0 {
			nm = matVec(nm, w[scope+"/projection_weights"], nil, proj)
		}
		return nm, [][]float64{nc, nm}
	}
}

// refHighway: TF's HighwayWrapper around inner, its variables in scope.
func refHighway(w weights, scope string, inner refStep, couple bool) refStep {
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		out, ns := inner(x, s)
		d := len(x)
		carry := matVec(x, w[scope+"/carry_w"], w[scope+"/carry_b"], d)
		var tr []float64
		if !couple {
			tr = matVec(x, w[scope+"/transform_w"], w[scope+"/transform_b"], d)
		}
		res := make([]float64, d)
		for k := range res {
			cg := sigmoid(carry[k])
			tg := 1 - cg
			if !couple {
				tg = sigmoid(tr[k])
			}
			res[k] = x[k]*cg + out[k]*tg
		}
		return res, ns
	}
}

// refAttentionCell: TF's AttentionCellWrapper.call around inner (whose
// state has nInner tensors, of total size q and output size outSize), the
// attention of length L, size A and vector size V.
type attnConf struct {
	L, A, V, inSize, nInner, outSize int
	concat                           bool // state not a tuple (inner has one state tensor of size innerSize)
	innerSize                        int
}

func refAttentionCell(w weights, scope string, inner refStep, cf attnConf) refStep {
	L, A, V := cf.L, cf.A, cf.V
	return func(x []float64, s [][]float64) ([]float64, [][]float64) {
		var cellState [][]float64
		var attns, attnStates []float64
		if cf.concat {
			cellState = [][]float64{s[0][:cf.innerSize]}
			attns = s[0][cf.innerSize : cf.innerSize+A]
			attnStates = s[0][cf.innerSize+A:]
		} else {
			cellState, attns, attnStates = s[:cf.nInner], s[cf.nInner], s[cf.nInner+1]
		}
		xin := affine(x, attns, w[scope+"/kernel"], w[scope+"/bias"], cf.inSize)
		out, ns := inner(xin, cellState)
		query := vecConcat(ns...)
		y := matVec(query, w[scope+"/attention/kernel"], w[scope+"/attention/bias"], V)
		e := make([]float64, L)
		for l := 0; l < L; l++ {
			hf := matVec(attnStates[l*A:(l+1)*A], w[scope+"/attention/attn_w"], nil, V)
			for v := 0; v < V; v++ {
				e[l] += w[scope+"/attention/attn_v"][v] * math.Tanh(hf[v]+y[v])
			}
		}
		mx := math.Inf(-1)
		for _, v := range e {
			mx = math.Max(mx, v)
		}
		sum := 0.0
		for l := range e {
			e[l] = math.Exp(e[l] - mx)
			sum += e[l]
		}
		newAttns := make([]float64, A)
		for l := 0; l < L; l++ {
			for k := 0; k < A; k++ {
				newAttns[k] += e[l] / sum * attnStates[l*A+k]
			}
		}
		output := affine(out, newAttns, w[scope+"/attn_output_projection/kernel"], w[scope+"/attn_output_projection/bias"], A)
		newAttnStates := vecConcat(attnStates[A:], output)
		st := append(append([][]float64(nil), ns...), newAttns, newAttnStates)
		if cf.concat {
			return output, [][]float64{vecConcat(st...)}
		}
		return output, st
	}
}
