package nn

import (
	"sort"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// Splitting a loop's batch: a recurrent step is, in almost every cell, the
// same computation on each row of the batch, with the cell's weights
// shared; the loop then runs parts of the batch (one goroutine each, as
// the fused loops do) through all the steps without meeting until the
// weights' gradients are summed. rowClasses proves it for a step graph, by
// the ops it is made of.

// rowClass is what a tensor of a step graph is with respect to the batch.
type rowClass int8

const (
	unknown rowClass = iota
	inv              // the same for every row: computed from the captured tensors and constants only
	rows             // [batch, ...], row b computed from row b of the step's inputs alone
	partial          // a sum over the rows (a weight's gradient): the parts' values add up
)

// elementwise ops: an output element is a function of the inputs'
// elements at the same (broadcast) index.
var elementwise = map[string]bool{
	"Add": true, "AddV2": true, "Sub": true, "Mul": true, "RealDiv": true, "Maximum": true, "Minimum": true,
	"TanhGrad": true, "SigmoidGrad": true, "ReluGrad": true,
	"Abs": true, "Exp": true, "Floor": true, "Log": true, "Log1p": true, "Neg": true, "Relu": true,
	"Sigmoid": true, "Sign": true, "Sqrt": true, "Square": true, "Tanh": true, "Identity": true,
}

// rowClasses classifies the tensors computing fetches from feeds (whose
// classes are given), and reports whether every fetch in wantRows is rows
// and every one in wantPartial is partial. It returns the classes found.
func rowClasses(feeds map[*tf.Tensor]rowClass, wantRows, wantPartial []*tf.Tensor) (map[*tf.Tensor]rowClass, bool) {
	class := map[*tf.Tensor]rowClass{}
	for t, c := range feeds {
		class[t] = c
	}
	need := map[*tf.Operation]bool{}
	var visit func(op *tf.Operation)
	visit = func(op *tf.Operation) {
		if need[op] {
			return
		}
		need[op] = true
		for _, in := range op.Inputs() {
			if _, fed := feeds[in]; !fed {
				visit(in.Op())
			}
		}
		for _, c := range op.ControlInputs() {
			visit(c)
		}
	}
	for _, list := range [][]*tf.Tensor{wantRows, wantPartial} {
		for _, t := range list {
			if _, fed := feeds[t]; !fed {
				visit(t.Op())
			}
		}
	}
	ops := make([]*tf.Operation, 0, len(need))
	for op := range need {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return tfimpl.OpID(ops[i]) < tfimpl.OpID(ops[j]) })
	for _, op := range ops {
		if tfimpl.Def(op).Stateful || len(op.ControlInputs()) > 0 {
			return class, false // random draws depend on the batch as a whole
		}
		in := make([]rowClass, len(op.Inputs()))
		allInv := true
		for i, t := range op.Inputs() {
			in[i] = class[t]
			if in[i] == unknown {
				return class, false
			}
			if in[i] != inv {
				allInv = false
			}
		}
		outs := op.Outputs()
		set := func(c rowClass) {
			for _, o := range outs {
				class[o] = c
			}
		}
		if allInv {
			set(inv)
			continue
		}
		c := opRowClass(op, in)
		if c == unknown {
			return class, false
		}
		if op.Type() == "ConcatMatMulGrad" {
			set(rows)
			class[outs[len(outs)-1]] = partial // dw
			continue
		}
		set(c)
	}
	for _, t := range wantRows {
		if class[t] != rows {
			return class, false
		}
	}
	for _, t := range wantPartial {
		if class[t] != partial {
			return class, false
		}
	}
	return class, true
}

// opRowClass returns the class of op's outputs given its inputs' classes
// (not all inv), unknown when op is not known to keep rows apart.
func opRowClass(op *tf.Operation, in []rowClass) rowClass {
	ins := op.Inputs()
	rank := func(t *tf.Tensor) int { return len(t.Shape()) }
	a := op.Attrs()
	switch typ := op.Type(); {
	case elementwise[typ]:
		out := op.Outputs()[0]
		r := rank(out)
		if out.Shape() == nil || r == 0 {
			return unknown
		}
		nRows, nPartial := 0, 0
		for i, c := range in {
			switch c {
			case rows:
				if rank(ins[i]) != r {
					return unknown
				}
				nRows++
			case partial:
				nPartial++
			case inv:
				// Broadcast along the rows only.
				if s := ins[i].Shape(); s == nil || (len(s) == r && s[0] != 1) {
					return unknown
				}
			}
		}
		switch {
		case nPartial == 0:
			return rows
		case nRows == 0 && (typ == "Identity" || typ == "Neg" || (nPartial == 1 && (typ == "Mul" || typ == "RealDiv" && in[0] == partial))):
			return partial // linear in the one partial input
		}
		return unknown
	case typ == "AddN":
		c := in[0]
		for _, x := range in {
			if x != c {
				return unknown
			}
		}
		return c
	case typ == "ZerosLike":
		return in[0]
	case typ == "MatMul":
		ta, tb := a.Bool("transpose_a"), a.Bool("transpose_b")
		switch {
		case in[0] == rows && in[1] == inv && !ta:
			return rows
		case in[0] == rows && in[1] == rows && ta && !tb:
			return partial // aᵀ·g: a weight's gradient
		}
		return unknown
	case typ == "ConcatMatMul":
		n := len(ins) - 1
		if a.Bool("pre") {
			n--
			if in[n+1] != rows {
				return unknown
			}
		}
		for _, c := range in[:n] {
			if c != rows {
				return unknown
			}
		}
		if in[n] != inv {
			return unknown
		}
		return rows
	case typ == "ConcatMatMulGrad":
		n := len(ins) - 2
		for _, c := range in[:n] {
			if c != rows {
				return unknown
			}
		}
		if in[n] != inv || in[n+1] != rows {
			return unknown
		}
		return rows
	case typ == "ConcatV2" || typ == "Split":
		ax := a.Int("axis", 0)
		r := rank(ins[0])
		if ins[0].Shape() == nil || r < 2 {
			return unknown
		}
		if ax < 0 {
			ax += r
		}
		if ax <= 0 || len(ins) != len(in) {
			return unknown
		}
		for _, c := range in {
			if c != rows {
				return unknown
			}
		}
		return rows
	case typ == "SumToShapeOf":
		switch {
		case in[0] == rows && in[1] == inv:
			return partial
		case in[0] == rows && in[1] == rows:
			return rows
		case in[0] == partial && in[1] == inv:
			return partial
		}
		return unknown
	}
	return unknown
}
