package nn

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/fused"
	"github.com/gorgoflow/gorgoflow/nn/rnncell"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The fused loop of DynamicRNN for LSTM and GRU cells and for stacks of
// them and of BasicRNNCell in a MultiRNNCell (issue 9): one op runs every
// layer over every step with internal/fused's stack kernels (each layer's
// input projections for all steps in one product, one recurrent product
// per step), instead of running the cell's step graph once per step. Its
// outputs are the generic loop's outputs and final state, and a workspace
// its gradient op reads (the gates, c and h of every step and layer); the
// tests check values and gradients against the generic loop.
//
// DynamicRNNStack: inputs x, initial state (k), sequence lengths (when
// given), the layers' weights; outputs the outputs, the final state (k),
// the workspace.
//
// DynamicRNNStackGrad: inputs x, initial state (k), sequence lengths, the
// weights, the workspace, then the gradients of the outputs and of the
// final state that exist (attr "has"); outputs the gradients of x, of the
// initial state and of the weights.

// stackPlan is a cell the stack kernels run: its layers and their weight
// variables, in fused.Layer's order.
type stackPlan struct {
	layers  []fused.Layer
	weights []*tf.Variable
}

var (
	stackDef     = &tf.OpDef{Type: "DynamicRNNStack", Infer: inferStack, Kernel: byFloat(runStack[float32], runStack[float64])}
	stackGradDef = &tf.OpDef{Type: "DynamicRNNStackGrad", Infer: inferStackGrad, Kernel: byFloat(runStackGrad[float32], runStackGrad[float64])}
)

func init() { stackDef.Grad = stackGrad }

// forceStack makes DynamicRNN run a lone BasicRNNCell with the stack
// kernels rather than its own fused loop (tests).
var forceStack bool

// planStack returns the stack form of L's cell, or ok false when the cell
// is not exactly one the stack kernels run (then the generic loop runs it).
func planStack(L *rnnLoop, dtype tf.DType) (p *stackPlan, ok bool) {
	if genericOnly {
		return nil, false
	}
	p = &stackPlan{}
	if !p.add(L.cell, L.depth, dtype) || len(p.layers) == 0 {
		return nil, false
	}
	if len(p.layers) == 1 && p.layers[0].Kind == fused.KindRNN && !forceStack {
		return nil, false // the BasicRNN fused loop's (rnn_fused.go)
	}
	// The layers' states and output must be the cell's.
	var sizes []int
	for i := range p.layers {
		sizes = append(sizes, p.layers[i].StateSizes()...)
	}
	if len(sizes) != L.k || L.outSize != p.layers[len(p.layers)-1].OutSize() {
		return nil, false
	}
	for i, n := range sizes {
		if L.sizes[i] != n {
			return nil, false
		}
	}
	return p, true
}

// add appends the layers of cell (input size in) to p.
func (p *stackPlan) add(cell rnncell.Cell, in int, dtype tf.DType) bool {
	switch c := cell.(type) {
	case *rnncell.BasicRNNCell:
		kernel, bias, fn := c.FusedWeights()
		act, ok := fusedAct(fn)
		if !ok {
			return false
		}
		return p.layer(fused.Layer{Kind: fused.KindRNN, Act: act, In: in, U: c.OutputSize()}, dtype, kernel, bias)
	case *rnncell.BasicLSTMCell:
		if !c.StateIsTuple() || !isTanh(c.Activation()) {
			return false
		}
		return p.layer(fused.Layer{Kind: fused.KindLSTM, In: in, U: c.NumUnits(), ForgetBias: c.ForgetBias()}, dtype, c.Kernel(), c.Bias())
	case *rnncell.LSTMCell:
		if !c.StateIsTuple() || !isTanh(c.Activation()) {
			return false
		}
		l := fused.Layer{Kind: fused.KindLSTM, In: in, U: c.NumUnits(), ForgetBias: c.ForgetBias(),
			Peepholes: c.UsePeepholes(), Proj: c.NumProj()}
		l.CellClip, l.ClipCell = c.CellClip()
		if l.Proj > 0 {
			l.ProjClip, l.ClipProj = c.ProjClip()
		}
		w := []*tf.Variable{c.Kernel(), c.Bias()}
		if l.Peepholes {
			wf, wi, wo := c.Peepholes()
			w = append(w, wf, wi, wo)
		}
		if l.Proj > 0 {
			w = append(w, c.ProjKernel())
		}
		return p.layer(l, dtype, w...)
	case *rnncell.LSTMBlockCell:
		l := fused.Layer{Kind: fused.KindLSTM, In: in, U: c.NumUnits(), ForgetBias: c.ForgetBias(), Peepholes: c.UsePeephole()}
		l.CellClip, l.ClipCell = c.CellClip()
		w := []*tf.Variable{c.Kernel(), c.Bias()}
		if l.Peepholes {
			wf, wi, wo := c.Peepholes()
			w = append(w, wf, wi, wo)
		}
		return p.layer(l, dtype, w...)
	case *rnncell.GRUCell:
		if !isTanh(c.Activation()) {
			return false
		}
		return p.gru(c, in, dtype)
	case *rnncell.GRUBlockCell:
		return p.gru(c, in, dtype)
	case *rnncell.MultiRNNCell:
		cells := c.Cells()
		if len(cells) == 0 {
			return false
		}
		for _, cell := range cells {
			if !p.add(cell, in, dtype) {
				return false
			}
			in = p.layers[len(p.layers)-1].OutSize()
		}
		return true
	}
	return false
}

// gru appends a GRU layer (GRUCell, GRUBlockCell) of input size in.
func (p *stackPlan) gru(c interface {
	NumUnits() int
	Gates() (kernel, bias *tf.Variable)
	Candidate() (kernel, bias *tf.Variable)
}, in int, dtype tf.DType) bool {
	gk, gb := c.Gates()
	ck, cb := c.Candidate()
	return p.layer(fused.Layer{Kind: fused.KindGRU, In: in, U: c.NumUnits()}, dtype, gk, gb, ck, cb)
}

// layer appends layer l with its weights, after checking them against it.
func (p *stackPlan) layer(l fused.Layer, dtype tf.DType, weights ...*tf.Variable) bool {
	sizes := l.WeightSizes()
	if len(weights) != len(sizes) {
		return false
	}
	for i, w := range weights {
		if w == nil || w.Err() != nil || w.DType() != dtype || w.Shape().NumElements() != sizes[i] {
			return false
		}
	}
	if l.Kind == fused.KindLSTM && l.ClipCell && !(l.CellClip >= 0) || l.ClipProj && !(l.ProjClip >= 0) {
		return false // TF clips to [-c, c]: a negative c is the generic loop's to run
	}
	p.layers = append(p.layers, l)
	p.weights = append(p.weights, weights...)
	return true
}

// fusedAct returns the fused form of a BasicRNNCell's activation.
func fusedAct(fn rnncell.ActivationFunc) (fused.Act, bool) {
	if fn == nil {
		return 0, false
	}
	switch funcPC(fn) {
	case funcPC(tf.Tanh), funcPC(Tanh):
		return fused.Tanh, true
	case funcPC(tf.Relu), funcPC(Relu):
		return fused.Relu, true
	}
	return 0, false
}

// isTanh reports whether fn is tanh (the LSTM's and GRU's activation the
// kernels compute).
func isTanh(fn rnncell.ActivationFunc) bool {
	return fn != nil && (funcPC(fn) == funcPC(tf.Tanh) || funcPC(fn) == funcPC(Tanh))
}

// stackIndex returns the index of the first weight input.
func (L *rnnLoop) stackIndex() int {
	if L.seq {
		return 2 + L.k
	}
	return 1 + L.k
}

func inferStack(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	L := a["loop"].(*rnnLoop)
	T, B, err := loopShapes(L, a, in)
	if err != nil {
		return nil, err
	}
	layers := a["layers"].([]fused.Layer)
	w := L.stackIndex()
	for l, j := 0, w; l < len(layers); l++ {
		for i, n := range layers[l].WeightSizes() {
			if got := in[j].Shape.NumElements(); got != n {
				return nil, errors.Errorf("layer %d's weight %d has shape %v (%d elements), want %d elements", l, i, in[j].Shape, got, n)
			}
			j++
		}
	}
	dt := in[0].DType
	out := []tf.Spec{{DType: dt, Shape: outShape(L.timeMajor, T, B, L.outSize)}}
	for _, n := range L.sizes {
		out = append(out, tf.Spec{DType: dt, Shape: tf.Shape{B, n}})
	}
	work := tf.None
	if T >= 0 && B >= 0 {
		work = fused.WorkSize(layers, B, T)
	}
	return append(out, tf.Spec{DType: dt, Shape: tf.Shape{work}}), nil
}

func inferStackGrad(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
	L := a["loop"].(*rnnLoop)
	if _, _, err := loopShapes(L, a, in); err != nil {
		return nil, err
	}
	w := L.stackIndex()
	n := a["nweights"].(int)
	out := append([]tf.Spec(nil), in[:1+L.k]...)
	return append(out, in[w:w+n]...), nil
}

// stackGrad builds the gradient op of a DynamicRNNStack op.
func stackGrad(op *tf.Operation, dys []*tf.Tensor) []*tf.Tensor {
	a := op.Attrs()
	L := a["loop"].(*rnnLoop)
	ins := op.Inputs()
	outs := op.Outputs()
	in := make([]any, 0, len(ins)+len(outs))
	for _, t := range ins {
		in = append(in, t)
	}
	in = append(in, outs[len(outs)-1])
	has := make([]bool, 1+L.k)
	for i := range has {
		// A ZerosLike gradient is no gradient (see fusedGrad).
		if d := dys[i]; d != nil && d.Op() != nil && d.Op().Type() != "ZerosLike" {
			has[i] = true
			in = append(in, d)
		}
	}
	w := L.stackIndex()
	g := tf.AddOp(tf.OpSpec{Def: stackGradDef, Name: "while_grad", Inputs: in,
		Attrs: tf.Attrs{"loop": L, "time_axis": a.Int("time_axis", 1), "layers": a["layers"], "nweights": len(ins) - w, "has": has}})
	grads := make([]*tf.Tensor, len(ins))
	for i := 0; i <= L.k; i++ {
		grads[i] = g.Output(i)
	}
	for i := w; i < len(ins); i++ {
		grads[i] = g.Output(1 + L.k + i - w)
	}
	return grads
}

// stackRun is what both kernels read from their inputs.
type stackRun[T float] struct {
	layers []fused.Layer
	B, T   int
	tm     bool
	x      []T
	init   [][]T
	lens   []int32
	w      [][]T
	next   int // the first input after the weights
}

func newStackRun[T float](c *tf.KernelContext) (*stackRun[T], error) {
	a := c.Op.Attrs()
	L := a["loop"].(*rnnLoop)
	r := &stackRun[T]{layers: a["layers"].([]fused.Layer), tm: L.timeMajor}
	d := fusedDims(a, c.In[0].Shape(), 0)
	r.B, r.T, r.x = d.B, d.T, vals[T](c.In[0])
	for i := 0; i < L.k; i++ {
		r.init = append(r.init, vals[T](c.In[1+i]))
	}
	if L.seq {
		r.lens = c.In[1+L.k].Int32s()
		if err := checkLens(r.lens, r.T); err != nil {
			return nil, err
		}
	}
	j := L.stackIndex()
	for l := range r.layers {
		for range r.layers[l].WeightSizes() {
			r.w = append(r.w, vals[T](c.In[j]))
			j++
		}
	}
	r.next = j
	return r, nil
}

func runStack[T float](c *tf.KernelContext) error {
	r, err := newStackRun[T](c)
	if err != nil {
		return err
	}
	L := c.Op.Attrs()["loop"].(*rnnLoop)
	final := make([][]T, L.k)
	for i := range final {
		final[i] = wanted[T](c, 1+i)
	}
	// Without a gradient in the program nobody reads the workspace: the
	// kernels then use a pooled one.
	work := wanted[T](c, 1+L.k)
	fused.StackForward(r.layers, r.B, r.T, r.tm, r.x, r.w, r.init, r.lens, wanted[T](c, 0), final, work)
	return nil
}

func runStackGrad[T float](c *tf.KernelContext) error {
	r, err := newStackRun[T](c)
	if err != nil {
		return err
	}
	a := c.Op.Attrs()
	L := a["loop"].(*rnnLoop)
	has := a["has"].([]bool)
	work := vals[T](c.In[r.next])
	next := r.next + 1
	var dOut []T
	dFinal := make([][]T, L.k)
	for i, h := range has {
		if !h {
			continue
		}
		if i == 0 {
			dOut = vals[T](c.In[next])
		} else {
			dFinal[i-1] = vals[T](c.In[next])
		}
		next++
	}
	dinit := make([][]T, L.k)
	for i := range dinit {
		dinit[i] = wanted[T](c, 1+i)
	}
	dw := make([][]T, len(r.w))
	for i := range dw {
		dw[i] = vals[T](c.AllocUninit(1 + L.k + i))
	}
	fused.StackBackward(r.layers, r.B, r.T, r.tm, r.x, r.w, r.init, r.lens, work, dOut, dFinal, wanted[T](c, 0), dw, dinit)
	return nil
}
