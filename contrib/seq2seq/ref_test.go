package seq2seq_test

import "math"

// A plain-Go float64 reimplementation of the formulas of TF's
// tf.contrib.seq2seq (basic_decoder.py, helper.py, decoder.py,
// attention_wrapper.py) for the tests: written from TF's Python, not from
// the package's code, with a real while loop where TF has one.

type mat [][]float64 // rows

func newMat(vals []float64, rows, cols int) mat {
	m := make(mat, rows)
	for i := range m {
		m[i] = vals[i*cols : (i+1)*cols]
	}
	return m
}

// vecMat returns x·m for a row vector x.
func vecMat(x []float64, m mat) []float64 {
	out := make([]float64, len(m[0]))
	for i, xi := range x {
		for j, w := range m[i] {
			out[j] += xi * w
		}
	}
	return out
}

func concat(xs ...[]float64) []float64 {
	var out []float64
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}

func softmax(x []float64) []float64 {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = math.Max(mx, v)
	}
	out := make([]float64, len(x))
	sum := 0.0
	for i, v := range x {
		out[i] = math.Exp(v - mx)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

func argmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// refRNN is BasicRNNCell: h' = tanh([x, h]·kernel + bias).
type refRNN struct {
	kernel mat
	bias   []float64
}

func (c refRNN) step(x, h []float64) []float64 {
	y := vecMat(concat(x, h), c.kernel)
	for i := range y {
		y[i] = math.Tanh(y[i] + c.bias[i])
	}
	return y
}

// refAttention is one of TF's attention mechanisms over one sequence's
// memory.
type refAttention struct {
	luong            bool
	normalize, scale bool
	memoryKernel     mat // [depth, units]
	queryKernel      mat // Bahdanau: [query depth, units]
	v, b             []float64
	g                float64
	memory           mat // [max_time, depth] of one example
	length           int // memory_sequence_length (max_time without)
	attentionKernel  mat // nil: attention = context
	outputAttention  bool
	double           bool // probability_fn = softmax(2·score)
}

// values returns the memory zeroed past length, and keys = values·memory_layer.
func (a refAttention) valuesKeys() (values, keys mat) {
	for t, row := range a.memory {
		v := make([]float64, len(row))
		if t < a.length {
			copy(v, row)
		}
		values = append(values, v)
		keys = append(keys, vecMat(v, a.memoryKernel))
	}
	return values, keys
}

// align returns the alignments of query.
func (a refAttention) align(query []float64) []float64 {
	_, keys := a.valuesKeys()
	score := make([]float64, len(keys))
	if a.luong {
		for t, k := range keys {
			for u := range k {
				score[t] += query[u] * k[u]
			}
			if a.scale {
				score[t] *= a.g
			}
		}
	} else {
		pq := vecMat(query, a.queryKernel)
		v := a.v
		if a.normalize {
			norm := 0.0
			for _, x := range a.v {
				norm += x * x
			}
			v = make([]float64, len(a.v))
			for u := range v {
				v[u] = a.g * a.v[u] / math.Sqrt(norm)
			}
		}
		for t, k := range keys {
			for u := range k {
				x := k[u] + pq[u]
				if a.normalize {
					x += a.b[u]
				}
				score[t] += v[u] * math.Tanh(x)
			}
		}
	}
	for t := a.length; t < len(score); t++ {
		score[t] = math.Inf(-1)
	}
	if a.double {
		for t := range score {
			score[t] *= 2
		}
	}
	return softmax(score)
}

// refAttentionCell is AttentionWrapper(refRNN, refAttention) for one
// example; state: h, attention, alignments.
type refAttentionCell struct {
	cell refRNN
	att  refAttention
	swap bool // cell_input_fn = concat([attention, inputs])
}

func (c refAttentionCell) step(x []float64, st [][]float64) ([]float64, [][]float64) {
	in := concat(x, st[1])
	if c.swap {
		in = concat(st[1], x)
	}
	h := c.cell.step(in, st[0])
	al := c.att.align(h)
	values, _ := c.att.valuesKeys()
	ctx := make([]float64, len(values[0]))
	for t, row := range values {
		for j := range row {
			ctx[j] += al[t] * row[j]
		}
	}
	attention := ctx
	if c.att.attentionKernel != nil {
		attention = vecMat(concat(h, ctx), c.att.attentionKernel)
	}
	out := h
	if c.att.outputAttention {
		out = attention
	}
	return out, [][]float64{h, attention, al}
}

// refDecodeResult is dynamic_decode's result, outputs padded with zeros to
// n steps: rnn_output [batch][n][size], sample_id [batch][n], the final
// state [batch][tensor][size], the lengths, and the alignment history
// [n][batch][memory time] when the cell has attention.
type refDecodeResult struct {
	out     [][][]float64
	ids     [][]int
	state   [][][]float64
	lengths []int
	history [][][]float64
}

// refDynamicDecode is decoder.py's dynamic_decode with a BasicDecoder:
// step(b, input, state) runs the cell (and the output layer) for example b;
// initialize gives finished and inputs; nextInputs(time, b, sampleID)
// gives the finished flag and the next input.
func refDynamicDecode(batch, n int, maxIter int, impute bool,
	initState [][][]float64,
	initialize func(b int) (bool, []float64),
	step func(b int, x []float64, st [][]float64) ([]float64, [][]float64),
	nextInputs func(time, b, id int) (bool, []float64),
	withHistory bool) refDecodeResult {
	finished := make([]bool, batch)
	inputs := make([][]float64, batch)
	state := initState
	for b := range finished {
		finished[b], inputs[b] = initialize(b)
		if maxIter >= 0 && 0 >= maxIter {
			finished[b] = true
		}
	}
	lengths := make([]int, batch)
	var outs [][][]float64 // [time][batch]
	var ids [][]int
	var history [][][]float64
	all := func(f []bool) bool {
		for _, x := range f {
			if !x {
				return false
			}
		}
		return true
	}
	time := 0
	for !all(finished) { // condition: not reduce_all(finished)
		stepOut := make([][]float64, batch)
		stepIDs := make([]int, batch)
		nextState := make([][][]float64, batch)
		nextFinished := make([]bool, batch)
		nextIn := make([][]float64, batch)
		var stepAlign [][]float64
		for b := 0; b < batch; b++ {
			o, s := step(b, inputs[b], state[b])
			id := argmax(o)
			f, in := nextInputs(time, b, id)
			nextFinished[b] = f || finished[b]
			if !finished[b] {
				lengths[b] = time + 1
			}
			if withHistory {
				stepAlign = append(stepAlign, s[len(s)-1])
			}
			if impute && finished[b] {
				o = make([]float64, len(o))
				id = 0
				s = state[b]
			}
			if maxIter >= 0 && time+1 >= maxIter {
				nextFinished[b] = true
			}
			stepOut[b], stepIDs[b], nextState[b], nextIn[b] = o, id, s, in
		}
		outs, ids = append(outs, stepOut), append(ids, stepIDs)
		history = append(history, stepAlign)
		state, inputs, finished = nextState, nextIn, nextFinished
		time++
	}
	r := refDecodeResult{state: state, lengths: lengths}
	for b := 0; b < batch; b++ {
		var o [][]float64
		var id []int
		for t := 0; t < n; t++ {
			if t < len(outs) {
				o, id = append(o, outs[t][b]), append(id, ids[t][b])
			} else {
				o, id = append(o, make([]float64, len(outs[0][b]))), append(id, 0)
			}
		}
		r.out, r.ids = append(r.out, o), append(r.ids, id)
	}
	if withHistory {
		for t := 0; t < n; t++ {
			if t < len(history) {
				r.history = append(r.history, history[t])
			} else {
				var z [][]float64
				for b := 0; b < batch; b++ {
					z = append(z, make([]float64, len(history[0][b])))
				}
				r.history = append(r.history, z)
			}
		}
	}
	return r
}
