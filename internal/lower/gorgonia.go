package lower

// The adapters between tf operations and Gorgonia's Op interface; doc.go
// lists the Gorgonia limitations they work around.

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"github.com/pkg/errors"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// kernelOp adapts one tf operation to Gorgonia's Op interface. Its node's
// children are the operation's inputs, then its control inputs (whose
// values Do ignores); Do runs the operation's kernel on its arguments and
// returns output 0, or for an operation of several outputs a tuple of them
// that pickOp nodes take apart.
type kernelOp struct {
	p        *Program
	op       *tf.Operation
	inTypes  []hm.Type
	outSpecs []tf.Spec
	want     []bool // which outputs the program reads
	multi    bool   // the node's value is a tuple of the outputs
	retType  hm.Type
	retShape tensor.Shape

	// reused by every run (runs of a program are serialized)
	ctx   tf.KernelContext
	pool  func(i int, zero bool) *tensor.Dense
	given []*tensor.Dense // the buffers Pool gave this run, by output
	hdrs  []header        // by output
	tuple tupleValue
	ranIn uint64 // the Program.runSeq of the last run that ran the kernel
	pos   int    // the kernel's place in the order Gorgonia runs them
}

// header is a tensor header of the program's own on a value the program
// does not own (limitation 3 in doc.go), kept while the value stays.
type header struct{ src, d *tensor.Dense }

func newKernelOp(p *Program, op *tf.Operation, used map[*tf.Tensor]bool) *kernelOp {
	n := len(op.Outputs())
	k := &kernelOp{p: p, op: op, outSpecs: make([]tf.Spec, n), want: make([]bool, n), multi: n > 1,
		given: make([]*tensor.Dense, n), hdrs: make([]header, n)}
	for i, t := range op.Outputs() {
		k.outSpecs[i] = p.specs[t]
		k.want[i] = used[t]
	}
	k.ctx.In = make([]*tensor.Dense, len(op.Inputs()))
	k.ctx.Out = make([]*tensor.Dense, n)
	k.pool = func(i int, zero bool) *tensor.Dense { return p.alloc(k, k.outSpecs[i], i, zero) }
	if n == 1 && k.want[0] {
		k.retType, k.retShape = nodeType(k.outSpecs[0]), tensor.Shape(append([]int{}, k.outSpecs[0].Shape...))
	} else {
		// A tuple, or nothing: a scalar stands in (limitation 2).
		k.retType, k.retShape = tensor.Float32, tensor.ScalarShape()
		k.tuple.vals = make([]G.Value, n)
	}
	return k
}

func (k *kernelOp) Arity() int { return len(k.inTypes) }
func (k *kernelOp) Type() hm.Type {
	if len(k.inTypes) == 0 {
		return k.retType
	}
	ts := append(append([]hm.Type(nil), k.inTypes...), k.retType)
	return hm.NewFnType(ts...)
}
func (k *kernelOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return k.retShape.Clone(), nil }
func (k *kernelOp) ReturnsPtr() bool                               { return false }
func (k *kernelOp) CallsExtern() bool                              { return false }
func (k *kernelOp) OverwritesInput() int                           { return -1 }
func (k *kernelOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gorgoflow %p %d %s", k.op, tfimpl.OpID(k.op), k.op.Name())
}
func (k *kernelOp) Hashcode() uint32 { h := fnv.New32a(); k.WriteHash(h); return h.Sum32() }
func (k *kernelOp) String() string   { return k.op.Type() + ":" + k.op.Name() }

// Do runs the kernel on vals: the values of the operation's inputs, then
// of its control inputs.
func (k *kernelOp) Do(vals ...G.Value) (G.Value, error) {
	p := k.p
	if p.err != nil {
		return nil, p.err
	}
	op := k.op
	c := &k.ctx
	*c = tf.KernelContext{Op: op, In: c.In, Out: c.Out, OutSpecs: k.outSpecs}
	run := tfimpl.Run(c)
	*run = runenv.Run{Env: p.env, Want: k.want, Local: p.localFn, RunID: p.runSeq}
	clear(c.Out)
	clear(k.given)
	if p.reuse {
		run.Pool = k.pool
	}
	if len(vals) < len(c.In) {
		p.err = errors.Errorf("internal error: %s %q got %d values for %d inputs", op.Type(), op.Name(), len(vals), len(c.In))
		return nil, p.err
	}
	for i := range c.In {
		d, ok := vals[i].(*tensor.Dense)
		if !ok {
			p.err = errors.Errorf("internal error: input %d of %s %q is a %T", i, op.Type(), op.Name(), vals[i])
			return nil, p.err
		}
		c.In[i] = d
	}
	if p.observe {
		k.pos = p.pos
		p.pos++
		p.noteReads(c.In, k.pos)
	}
	escaped := len(p.escaped)
	err := runKernel(c)
	clear(c.In)
	if err != nil {
		p.err = errors.Wrapf(err, "%s %q (built at %s)", op.Type(), op.Name(), tfimpl.Site(op))
		return nil, p.err
	}
	k.ranIn = p.runSeq
	for i, v := range c.Out {
		if v == nil && !k.want[i] {
			continue
		}
		if v == nil {
			p.err = errors.Errorf("internal error: %s %q did not set output %d", op.Type(), op.Name(), i)
			return nil, p.err
		}
		if !sameSpec(v, k.outSpecs[i]) {
			p.err = errors.Errorf("internal error: %s %q output %d is %v, inferred %v", op.Type(), op.Name(), i, tfimpl.SpecOf(v), k.outSpecs[i])
			return nil, p.err
		}
	}
	// Buffers the kernel got from Pool are the program's to hand to
	// Gorgonia, unless the kernel gave memory to the session.
	own := len(p.escaped) == escaped
	if !k.multi {
		if len(c.Out) == 1 && k.want[0] {
			return k.value(0, own), nil
		}
		return noValue{}, nil
	}
	for i := range c.Out {
		k.tuple.vals[i] = nil
		if k.want[i] {
			k.tuple.vals[i] = k.value(i, own)
		}
	}
	return &k.tuple, nil
}

// value returns what Gorgonia gets for output i: the buffer itself when
// the program owns it (Pool gave it in this run and it did not escape),
// else a header of the program's own on it (limitation 3).
func (k *kernelOp) value(i int, own bool) G.Value {
	d := k.ctx.Out[i]
	if own && d == k.given[i] {
		return d
	}
	h := &k.hdrs[i]
	if h.src != d {
		h.src, h.d = d, d.ShallowClone()
	}
	return h.d
}

func runKernel(c *tf.KernelContext) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("kernel panicked: %v", r)
		}
	}()
	if tfimpl.Def(c.Op).Kernel == nil {
		return errors.New("op has no kernel")
	}
	return tfimpl.Def(c.Op).Kernel(c)
}

// pickOp is the node of output i of a multi-output kernel node: its Do
// takes the output out of the kernel node's tuple (limitation 2).
type pickOp struct {
	k *kernelOp
	i int
}

func (o *pickOp) Arity() int { return 1 }
func (o *pickOp) Type() hm.Type {
	return hm.NewFnType(o.k.retType, nodeType(o.k.outSpecs[o.i]))
}
func (o *pickOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape(append([]int{}, o.k.outSpecs[o.i].Shape...)), nil
}
func (o *pickOp) ReturnsPtr() bool     { return false }
func (o *pickOp) CallsExtern() bool    { return false }
func (o *pickOp) OverwritesInput() int { return -1 }
func (o *pickOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "gorgoflow pick %p %d", o.k.op, o.i)
}
func (o *pickOp) Hashcode() uint32 { h := fnv.New32a(); o.WriteHash(h); return h.Sum32() }
func (o *pickOp) String() string   { return fmt.Sprintf("pick%d:%s", o.i, o.k.op.Name()) }
func (o *pickOp) Do(vals ...G.Value) (G.Value, error) {
	if o.k.p.err != nil {
		return nil, o.k.p.err
	}
	t, ok := vals[0].(*tupleValue)
	if !ok || t.vals[o.i] == nil {
		return nil, errors.Errorf("internal error: output %d of %q not computed", o.i, o.k.op.Name())
	}
	return t.vals[o.i], nil
}

// tupleValue is the value of a multi-output kernel node: its outputs'
// values (nil when not read). Gorgonia sees an empty scalar.
type tupleValue struct{ vals []G.Value }

func (*tupleValue) Shape() tensor.Shape { return tensor.ScalarShape() }
func (*tupleValue) Size() int           { return 0 }
func (*tupleValue) Data() interface{}   { return nil }
func (*tupleValue) Dtype() tensor.Dtype { return tensor.Float32 }
func (*tupleValue) Uintptr() uintptr    { return 0 }
func (*tupleValue) MemSize() uintptr    { return 0 }
func (t *tupleValue) Format(s fmt.State, _ rune) {
	fmt.Fprintf(s, "tuple of %d values", len(t.vals))
}

// noValue is the value of a kernel node whose op has no output the
// program reads (an update, a group): Gorgonia needs a value.
type noValue struct{}

func (noValue) Shape() tensor.Shape        { return tensor.ScalarShape() }
func (noValue) Size() int                  { return 0 }
func (noValue) Data() interface{}          { return nil }
func (noValue) Dtype() tensor.Dtype        { return tensor.Float32 }
func (noValue) Uintptr() uintptr           { return 0 }
func (noValue) MemSize() uintptr           { return 0 }
func (noValue) Format(s fmt.State, _ rune) { fmt.Fprint(s, "no value") }
