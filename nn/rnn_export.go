package nn

import (
	"github.com/gorgoflow/gorgoflow/internal/loopexport"
	"github.com/gorgoflow/gorgoflow/tf"
)

// ExportInfo tells tf.Graph.AsGraphDef which inputs and outputs of op, one
// of the loop ops of L or their gradient ops, are which tensors of TF's
// dynamic_rnn (see package loopexport).
func (L *rnnLoop) ExportInfo(op *tf.Operation) loopexport.Info {
	k := L.k
	info := loopexport.Info{K: k, Seq: L.seq, TimeMajor: op.Attrs().Int("time_axis", 1) == 0, Saved: -1,
		Forward: -1, DOutputs: -1, DX: 0}
	in := op.Inputs()
	// hasIn returns the input index of each gradient that flows into the
	// op, by the op's "has" attribute, starting at input first.
	hasIn := func(has []bool, first int) []int {
		idx := make([]int, len(has))
		for i, h := range has {
			idx[i] = -1
			if h {
				idx[i] = first
				first++
			}
		}
		return idx
	}
	count := func(has []bool) int {
		n := 0
		for _, h := range has {
			if h {
				n++
			}
		}
		return n
	}
	grads := func(has []bool, fwd int, nSaved int) {
		info.Forward = fwd
		idx := hasIn(has, fwd+nSaved)
		info.DOutputs = idx[0]
		info.DFinal = idx[1 : 1+k]
		info.DSaved = make([]int, k)
		for i := range info.DSaved {
			info.DSaved[i] = -1
			if 1+k+i < len(idx) {
				info.DSaved[i] = idx[1+k+i]
			}
		}
		info.DInit = make([]int, k)
		for i := range info.DInit {
			info.DInit[i] = 1 + i
		}
		info.DCaptured = make([]int, len(L.fwd.Captured))
		for i := range info.DCaptured {
			info.DCaptured[i] = -1
		}
	}
	// weights maps the outputs holding the gradients of the fused ops'
	// weight inputs (from input w of the forward op on) to the captured
	// tensors they are.
	weights := func(fwd *tf.Operation, w, firstOut int) {
		for i, t := range fwd.Inputs()[w:] {
			for j, c := range L.fwd.Captured {
				if c == t || (c.Op() == t.Op() && c.Index() == t.Index()) {
					info.DCaptured[j] = firstOut + i
				}
			}
		}
	}
	switch op.Type() {
	case "DynamicRNNFused", "DynamicRNNLoop":
		info.Saved = 1 + k
	case "DynamicRNNLoopGrad":
		has, _ := op.Attrs()["has"].([]bool)
		fwd := len(in) - k - count(has)
		grads(has, fwd, k)
		for n, j := range L.grad.Params {
			info.DCaptured[j] = 1 + k + n
		}
	case "DynamicRNNFusedGrad":
		has, _ := op.Attrs()["has"].([3]bool)
		w := L.fusedWeightsIndex()
		grads(has[:], w+1, 1)
		weights(in[w+1].Op(), w, 2)
	case "DynamicRNNStackGrad":
		has, _ := op.Attrs()["has"].([]bool)
		fwd := len(in) - 1 - count(has)
		grads(has, fwd, 1)
		weights(in[fwd].Op(), L.stackIndex(), 1+k)
	}
	return info
}
