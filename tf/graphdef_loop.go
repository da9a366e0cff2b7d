package tf

import (
	"sort"
	"strconv"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/loopexport"
	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// An RNN loop op (nn.DynamicRNN) written as TF 1.x's while loop, as
// tf.nn.dynamic_rnn builds it: x transposed to time-major and scattered
// into a TensorArray; loop variables time, the outputs' TensorArray flow,
// one saved-state TensorArray flow per state tensor and the state, each
// through Enter, Merge, Switch (on LoopCond(time < steps)), Identity and
// NextIteration, and out through Exit; the cell's step (the loop's body
// function) written once inside the frame. Its gradient is a second loop
// running the steps backwards: each step recomputes the cell from its
// input and saved input state and applies the step's gradient (the body's
// own vector-Jacobian product), carrying the state's gradient and summing
// the weights' gradients in loop variables.

// loopExporter is implemented by the "loop" attribute of package nn's loop
// ops.
type loopExporter interface {
	Body() *funcBody
	StepGradient() (*funcGrad, error)
	ExportInfo(op *Operation) loopexport.Info
}

// loopRecord is what a forward loop's gradient reads of it.
type loopRecord struct {
	xT, steps, rng string   // time-major inputs, number of steps, range(steps)
	init, saved    []string // initial state; every step's state [time, batch, size]
	seq            string
	// The body's random values (loopRandoms) and the TensorArrays holding
	// every step's draw, with their flows after the loop: the backward
	// loop reads them instead of drawing again, as TF's gradient of a
	// while loop pops the forward values from its stacks.
	randoms          []*Tensor
	randTA, randFlow []string
}

// loopRandoms returns the outputs of the ops of f's body that draw random
// numbers (tf.RandomUniform and the other random ops, nn.Dropout's flags,
// candidate samplers) and that its outputs depend on, in a fixed order.
func loopRandoms(f *funcBody) []*Tensor {
	seen := map[*Operation]bool{}
	var found []*Tensor
	var visit func(op *Operation)
	visit = func(op *Operation) {
		if op == nil || seen[op] || op.g != f.Graph {
			return
		}
		seen[op] = true
		for _, t := range op.inputs {
			visit(t.op)
		}
		for _, c := range op.control {
			visit(c)
		}
		if op.def == randomDef || op.def.Type == "CandidateSampler" {
			found = append(found, op.outputs...)
		}
	}
	for _, o := range f.Outputs {
		visit(o.op)
	}
	return found
}

func aResource() *pb.Message { return pb.New().Enum(6, "type", 20, "DT_RESOURCE") }

// whileLoop writes a while loop over vars (of dtypes ts) named under base,
// and returns the Exit of each variable. cond builds the condition from
// the variables as merged; step the next values from them as switched
// into the body (the Identity of the Switch's true output).
func (s *scope) whileLoop(base, prefix string, body *funcBody, vars []string, ts []*pb.Message,
	cond func(fs *scope, v []string) string, step func(fs *scope, v []string) ([]string, error)) ([]string, error) {
	frame := base + "/while_context"
	fs := &scope{ex: s.ex, out: map[*Tensor]string{}, ctrl: map[*Operation]string{}, body: body, frame: frame,
		prefix: prefix, parent: s, enters: map[string]string{}, variant: map[string]bool{}}
	n := len(vars)
	outer := append([]string(nil), vars...)
	vars = append([]string(nil), vars...)
	vars[0] = s.node(base+"/start", "Identity", vars[:1], attrs{"T": ts[0]})
	merges, nexts := make([]string, n), make([]string, n)
	for i, v := range vars {
		enter := fs.node(base+"/Enter", "Enter", []string{v}, attrs{"T": ts[i], "frame_name": aStr(frame),
			"is_constant": aBool(false), "parallel_iterations": aInt(32)})
		nexts[i] = s.ex.unique(base + "/NextIteration")
		merges[i] = fs.node(base+"/Merge", "Merge", []string{enter, nexts[i]}, attrs{"T": ts[i], "N": aInt(2)})
	}
	lc := fs.node(base+"/LoopCond", "LoopCond", []string{cond(fs, merges)}, nil)
	exits, ids := make([]string, n), make([]string, n)
	for i := range vars {
		sw := fs.node(base+"/Switch", "Switch", []string{merges[i], lc}, attrs{"T": ts[i]})
		exits[i] = fs.node(base+"/Exit", "Exit", []string{sw}, attrs{"T": ts[i]})
		ids[i] = fs.node(base+"/Identity", "Identity", []string{sw + ":1"}, attrs{"T": ts[i]})
	}
	for _, id := range ids {
		fs.variant[id] = true
	}
	fs.pivot = ids[0]
	next, err := step(fs, ids)
	if err != nil {
		return nil, err
	}
	for i := range vars {
		fs.add(nexts[i], "NextIteration", []string{next[i]}, attrs{"T": ts[i]}, nil)
	}
	// The first loop variable starts once everything the loop reads from
	// outside is computed: a dependency TF does not need, which lets
	// executors that schedule a loop's iterations as their inputs arrive
	// (TensorFlow.js's) see every loop-invariant input in every iteration.
	var outside []string
	for _, v := range outer[1:] {
		outside = append(outside, nodeOf(v))
	}
	for o := range fs.enters {
		outside = append(outside, nodeOf(o))
	}
	sort.Strings(outside)
	s.ex.addControl(nodeOf(vars[0]), outside)
	return exits, nil
}

// addControl adds control inputs to the node named n.
func (ex *exporter) addControl(n string, ctrl []string) {
	for _, nd := range ex.nodes {
		if nd.name != n {
			continue
		}
		seen := map[string]bool{}
		for _, in := range nd.inputs {
			seen[in] = true
		}
		for _, c := range ctrl {
			if c != n && !seen["^"+c] {
				seen["^"+c] = true
				nd.inputs = append(nd.inputs, "^"+c)
			}
		}
		return
	}
}

// tensorArray writes a TensorArrayV3 of size steps.
func (s *scope) tensorArray(name, steps string, dt DType, elem Shape) string {
	return s.node(name, "TensorArrayV3", []string{steps}, attrs{"dtype": aType(dt), "element_shape": aShape(elem),
		"dynamic_size": aBool(false), "clear_after_read": aBool(true), "identical_element_shapes": aBool(true),
		"tensor_array_name": aStr("")})
}

// scatter writes a TensorArray holding the rows of value (time-major)
// and returns the array and the flow after the scatter.
func (s *scope) scatter(base, steps, rng, value string, dt DType, elem Shape) (ta, flow string) {
	ta = s.tensorArray(base+"/TensorArray", steps, dt, elem)
	flow = s.node(base+"/TensorArrayScatter/TensorArrayScatterV3", "TensorArrayScatterV3",
		[]string{ta, rng, value, ta + ":1"}, attrs{"T": aType(dt)})
	return ta, flow
}

// read reads row t of a TensorArray written outside the frame.
func (fs *scope) read(base, ta, flow, t string, dt DType) string {
	return fs.node(base+"/TensorArrayReadV3", "TensorArrayReadV3",
		[]string{fs.enter(ta, aResource()), t, fs.enter(flow, aType(Float32))}, attrs{"dtype": aType(dt)})
}

// write writes row t of a TensorArray made outside the frame.
func (fs *scope) write(base, ta, t, value, flow string, dt DType) string {
	return fs.node(base+"/TensorArrayWrite/TensorArrayWriteV3", "TensorArrayWriteV3",
		[]string{fs.enter(ta, aResource()), t, value, flow}, attrs{"T": aType(dt)})
}

// gather stacks a TensorArray's rows after the loop.
func (s *scope) gather(base, ta, rng, flow string, dt DType, elem Shape) string {
	return s.node(base+"/TensorArrayStack/TensorArrayGatherV3", "TensorArrayGatherV3", []string{ta, rng, flow},
		attrs{"dtype": aType(dt), "element_shape": aShape(elem)})
}

func (s *scope) binary(name, op, x, y string, dt DType) string {
	return s.node(name, op, []string{x, y}, attrs{"T": aType(dt)})
}

func (s *scope) transpose3(name, x string, dt DType) string {
	return s.node(name, "Transpose", []string{x, s.ints(name+"/perm", 1, 0, 2)}, attrs{"T": aType(dt), "Tperm": aType(Int32)})
}

// stepMask returns the [batch, 1] mask of the sequences still running at
// step t (1) or done (0): Cast(ExpandDims(t < sequence_length, -1)).
func (fs *scope) stepMask(base, t, seq string, dt DType) string {
	valid := fs.binary(base+"/Less", "Less", t, fs.enter(seq, aType(Int32)), Int32)
	m := fs.node(base+"/Cast", "Cast", []string{valid}, attrs{"SrcT": aType(Bool), "DstT": aType(dt), "Truncate": aBool(false)})
	return fs.node(base+"/ExpandDims", "ExpandDims", []string{m, fs.scalar(base+"/dim", Int32, -1)}, attrs{"T": aType(dt), "Tdim": aType(Int32)})
}

// forwardLoop writes a forward loop op.
func (s *scope) forwardLoop(e *opExport) error {
	L, ok := e.op.attrs["loop"].(loopExporter)
	if !ok {
		return errors.New("loop op without its loop")
	}
	info := L.ExportInfo(e.op)
	f := L.Body()
	k, dt, base := info.K, e.dtype(0), e.name
	if len(f.Args) != 1+k || len(f.Outputs) != 1+k {
		return errors.Errorf("loop body has %d arguments and %d outputs for %d state tensors", len(f.Args), len(f.Outputs), k)
	}
	xs := e.op.inputs[0].spec.Shape
	B, D := xs[1], xs[2]
	if info.TimeMajor {
		B = xs[1]
	} else {
		B = xs[0]
	}
	rec := &loopRecord{xT: e.in[0], init: e.in[1 : 1+k]}
	if info.Seq {
		rec.seq = e.in[1+k]
	}
	if !info.TimeMajor {
		rec.xT = s.transpose3(base+"/transpose", e.in[0], dt)
	}
	shape := s.node(base+"/Shape", "Shape", []string{rec.xT}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	rec.steps = s.node(base+"/strided_slice", "StridedSlice", []string{shape, s.ints(base+"/stack", 0),
		s.ints(base+"/stack_1", 1), s.ints(base+"/stack_2", 1)}, stridedAttrs(Int32, 0, 0, 1))
	rec.rng = s.node(base+"/range", "Range", []string{s.scalar(base+"/range/start", Int32, 0), rec.steps,
		s.scalar(base+"/range/delta", Int32, 1)}, attrs{"Tidx": aType(Int32)})
	inTA, inFlow := s.scatter(base+"/input", rec.steps, rec.rng, rec.xT, dt, Shape{B, D})
	outSize := f.Outputs[0].spec.Shape[1]
	outTA := s.tensorArray(base+"/output/TensorArray", rec.steps, dt, Shape{B, outSize})
	stTA := make([]string, k)
	vars := []string{s.scalar(base+"/time", Int32, 0), outTA + ":1"}
	ts := []*pb.Message{aType(Int32), aType(Float32)}
	for j := range stTA {
		stTA[j] = s.tensorArray(base+"/state_"+strconv.Itoa(j)+"/TensorArray", rec.steps, dt, Shape{B, f.Args[1+j].spec.Shape[1]})
		vars, ts = append(vars, stTA[j]+":1"), append(ts, aType(Float32))
	}
	for j := 0; j < k; j++ {
		vars, ts = append(vars, rec.init[j]), append(ts, aType(dt))
	}
	// Every step's random draws go to TensorArrays (not cleared when read:
	// several gradients of one loop read them).
	rec.randoms = loopRandoms(f)
	rec.randTA = make([]string, len(rec.randoms))
	for i, r := range rec.randoms {
		rec.randTA[i] = s.node(base+"/random_"+strconv.Itoa(i)+"/TensorArray", "TensorArrayV3", []string{rec.steps},
			attrs{"dtype": aType(r.spec.DType), "element_shape": aShape(r.spec.Shape), "dynamic_size": aBool(false),
				"clear_after_read": aBool(false), "identical_element_shapes": aBool(true), "tensor_array_name": aStr("")})
		vars, ts = append(vars, rec.randTA[i]+":1"), append(ts, aType(Float32))
	}
	exits, err := s.whileLoop(base, "", f, vars, ts,
		func(fs *scope, v []string) string {
			return fs.binary(base+"/Less", "Less", v[0], fs.enter(rec.steps, aType(Int32)), Int32)
		},
		func(fs *scope, v []string) ([]string, error) {
			t := v[0]
			fs.out[f.Args[0]] = fs.read(base+"/input", inTA, inFlow, t, dt)
			old := v[2+k:]
			for j := 0; j < k; j++ {
				fs.out[f.Args[1+j]] = old[j]
			}
			outs, err := fs.refs(f.Outputs)
			if err != nil {
				return nil, err
			}
			if info.Seq {
				m := fs.stepMask(base+"/mask", t, rec.seq, dt)
				one := fs.binary(base+"/mask/sub", "Sub", fs.scalar(base+"/mask/one", dt, 1), m, dt)
				outs[0] = fs.binary(base+"/mask/mul", "Mul", outs[0], m, dt)
				for j := 0; j < k; j++ {
					keep := fs.binary(base+"/mask/mul", "Mul", outs[1+j], m, dt)
					copy := fs.binary(base+"/mask/mul", "Mul", old[j], one, dt)
					outs[1+j] = fs.binary(base+"/mask/add", "Add", keep, copy, dt)
				}
			}
			next := []string{fs.binary(base+"/add", "Add", t, fs.scalar(base+"/add/y", Int32, 1), Int32),
				fs.write(base+"/output", outTA, t, outs[0], v[1], dt)}
			for j := 0; j < k; j++ {
				next = append(next, fs.write(base+"/state_"+strconv.Itoa(j), stTA[j], t, outs[1+j], v[2+j], dt))
			}
			next = append(next, outs[1:]...)
			for i, r := range rec.randoms {
				value, err := fs.ref(r)
				if err != nil {
					return nil, err
				}
				next = append(next, fs.write(base+"/random_"+strconv.Itoa(i), rec.randTA[i], t, value, v[2+2*k+i], r.spec.DType))
			}
			return next, nil
		})
	if err != nil {
		return err
	}
	rec.randFlow = exits[2+2*k:]
	out := s.gather(base+"/output", outTA, rec.rng, exits[1], dt, Shape{B, outSize})
	if !info.TimeMajor {
		out = s.transpose3(base+"/transpose_1", out, dt)
	}
	e.outs = append([]string{out}, exits[2+k:2+2*k]...)
	for j := 0; j < k; j++ {
		rec.saved = append(rec.saved, s.gather(base+"/state_"+strconv.Itoa(j), stTA[j], rec.rng, exits[2+j], dt,
			Shape{B, f.Args[1+j].spec.Shape[1]}))
	}
	if info.Saved >= 0 {
		e.outs = append(e.outs, rec.saved...)
	}
	for len(e.outs) < len(e.op.outputs) {
		// The fused stack loop's workspace: only its gradient op reads
		// it, and that reads the saved states instead.
		e.outs = append(e.outs, rec.saved[0])
	}
	e.done = s.node(base+"/done", "NoOp", nil, nil, nodeOf(out))
	s.ex.loops[e.op] = rec
	return nil
}

// nodeOf returns the node of a node output name.
func nodeOf(out string) string {
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] == ':' {
			return out[:i]
		}
	}
	return out
}

// backwardLoop writes a loop gradient op.
func (s *scope) backwardLoop(e *opExport) error {
	L, ok := e.op.attrs["loop"].(loopExporter)
	if !ok {
		return errors.New("loop gradient op without its loop")
	}
	info := L.ExportInfo(e.op)
	if info.Forward < 0 {
		return errors.New("loop gradient op without its forward loop")
	}
	rec := s.ex.loops[e.op.inputs[info.Forward].op]
	if rec == nil {
		return errors.New("the forward loop of a loop gradient was not written")
	}
	fg, err := L.StepGradient()
	if err != nil {
		return err
	}
	f := L.Body()
	k, dt, base := info.K, e.dtype(0), e.name
	xs := e.op.inputs[0].spec.Shape
	B, D := xs[0], xs[2]
	if info.TimeMajor {
		B = xs[1]
	}
	stateShape := func(j int) Shape { return Shape{B, f.Args[1+j].spec.Shape[1]} }
	xTA, xFlow := s.scatter(base+"/input", rec.steps, rec.rng, rec.xT, dt, Shape{B, D})
	prevTA, prevFlow := make([]string, k), make([]string, k)
	for j := 0; j < k; j++ {
		b := base + "/prev_state_" + strconv.Itoa(j)
		first := s.node(b+"/ExpandDims", "ExpandDims", []string{rec.init[j], s.scalar(b+"/dim", Int32, 0)}, attrs{"T": aType(dt), "Tdim": aType(Int32)})
		rest := s.node(b+"/strided_slice", "StridedSlice", []string{rec.saved[j], s.ints(b+"/begin", 0), s.ints(b+"/end", -1),
			s.ints(b+"/strides", 1)}, stridedAttrs(dt, 0, 0, 0))
		prev := s.node(b+"/concat", "ConcatV2", []string{first, rest, s.scalar(b+"/axis", Int32, 0)}, attrs{"T": aType(dt), "N": aInt(2), "Tidx": aType(Int32)})
		prevTA[j], prevFlow[j] = s.scatter(b, rec.steps, rec.rng, prev, dt, stateShape(j))
	}
	var dyTA, dyFlow string
	if info.DOutputs >= 0 {
		dy := e.in[info.DOutputs]
		if !info.TimeMajor {
			dy = s.transpose3(base+"/transpose", dy, dt)
		}
		dyTA, dyFlow = s.scatter(base+"/doutput", rec.steps, rec.rng, dy, dt, Shape{B, f.Outputs[0].spec.Shape[1]})
	}
	dSavedTA, dSavedFlow := make([]string, k), make([]string, k)
	for j := 0; j < k; j++ {
		if j < len(info.DSaved) && info.DSaved[j] >= 0 {
			dSavedTA[j], dSavedFlow[j] = s.scatter(base+"/dstate_"+strconv.Itoa(j), rec.steps, rec.rng, e.in[info.DSaved[j]], dt, stateShape(j))
		}
	}
	dxTA := s.tensorArray(base+"/dinput/TensorArray", rec.steps, dt, Shape{B, D})
	vars := []string{s.scalar(base+"/i", Int32, 0), dxTA + ":1"}
	ts := []*pb.Message{aType(Int32), aType(Float32)}
	for j := 0; j < k; j++ {
		d := ""
		if info.DFinal[j] >= 0 {
			d = e.in[info.DFinal[j]]
		} else {
			d = s.node(base+"/zeros_like", "ZerosLike", []string{rec.init[j]}, attrs{"T": aType(dt)})
		}
		vars, ts = append(vars, d), append(ts, aType(dt))
	}
	// The captured tensors whose gradients the op outputs, and the index
	// of each among the step gradient's Params.
	var accs []int
	param := map[int]int{}
	for n, j := range fg.Params {
		param[j] = n
	}
	for j, o := range info.DCaptured {
		if o < 0 {
			continue
		}
		if _, ok := param[j]; !ok {
			return errors.Errorf("captured tensor %d has no gradient in the step", j)
		}
		c, err := s.ref(f.Captured[j])
		if err != nil {
			return err
		}
		cdt := f.Captured[j].spec.DType
		accs = append(accs, j)
		vars = append(vars, s.node(base+"/zeros_like", "ZerosLike", []string{c}, attrs{"T": aType(cdt)}))
		ts = append(ts, aType(cdt))
	}
	exits, err := s.whileLoop(base, base+"/", f, vars, ts,
		func(fs *scope, v []string) string {
			return fs.binary(base+"/Less", "Less", v[0], fs.enter(rec.steps, aType(Int32)), Int32)
		},
		func(fs *scope, v []string) ([]string, error) {
			i := v[0]
			one := fs.scalar(base+"/one", Int32, 1)
			last := fs.binary(base+"/sub", "Sub", fs.enter(rec.steps, aType(Int32)), one, Int32)
			t := fs.binary(base+"/sub", "Sub", last, i, Int32)
			fs.out[f.Args[0]] = fs.read(base+"/input", xTA, xFlow, t, dt)
			for j := 0; j < k; j++ {
				fs.out[f.Args[1+j]] = fs.read(base+"/prev_state_"+strconv.Itoa(j), prevTA[j], prevFlow[j], t, dt)
			}
			// The step recomputed here uses the forward step's random
			// draws, not new ones.
			for i, r := range rec.randoms {
				fs.out[r] = fs.read(base+"/random_"+strconv.Itoa(i), rec.randTA[i], rec.randFlow[i], t, r.spec.DType)
			}
			var dy string
			if dyTA != "" {
				dy = fs.read(base+"/doutput", dyTA, dyFlow, t, dt)
			} else {
				y, err := fs.ref(f.Outputs[0])
				if err != nil {
					return nil, err
				}
				dy = fs.node(base+"/zeros_like", "ZerosLike", []string{y}, attrs{"T": aType(dt)})
			}
			dnew := make([]string, k)
			pass := make([]string, k)
			for j := 0; j < k; j++ {
				dnew[j] = v[2+j]
				if dSavedTA[j] != "" {
					ds := fs.read(base+"/dstate_"+strconv.Itoa(j), dSavedTA[j], dSavedFlow[j], t, dt)
					dnew[j] = fs.binary(base+"/add", "Add", dnew[j], ds, dt)
				}
			}
			if info.Seq {
				m := fs.stepMask(base+"/mask", t, rec.seq, dt)
				off := fs.binary(base+"/mask/sub", "Sub", fs.scalar(base+"/mask/one", dt, 1), m, dt)
				dy = fs.binary(base+"/mask/mul", "Mul", dy, m, dt)
				for j := 0; j < k; j++ {
					pass[j] = fs.binary(base+"/mask/mul", "Mul", dnew[j], off, dt)
					dnew[j] = fs.binary(base+"/mask/mul", "Mul", dnew[j], m, dt)
				}
			}
			fs.out[fg.DYs[0]] = dy
			for j := 0; j < k; j++ {
				fs.out[fg.DYs[1+j]] = dnew[j]
			}
			// The products the loop hoists out of the step (funcBody.Hoisted):
			// recomputed here, their gradients carried to the argument and
			// the weights' rows, with the rows the loop defers.
			dArg, dW, err := fs.hoistedGrads(base, f, fg, k, dt)
			if err != nil {
				return nil, err
			}
			grad := func(i int, extra []string, gdt DType) (string, error) {
				d, err := fs.ref(fg.Grads[i])
				if err != nil {
					return "", err
				}
				for _, x := range extra {
					d = fs.binary(base+"/add", "Add", d, x, gdt)
				}
				return d, nil
			}
			dx, err := grad(0, dArg[0], dt)
			if err != nil {
				return nil, err
			}
			next := []string{fs.binary(base+"/add", "Add", i, one, Int32), fs.write(base+"/dinput", dxTA, t, dx, v[1], dt)}
			for j := 0; j < k; j++ {
				d, err := grad(1+j, dArg[1+j], dt)
				if err != nil {
					return nil, err
				}
				if pass[j] != "" {
					d = fs.binary(base+"/add", "Add", d, pass[j], dt)
				}
				next = append(next, d)
			}
			for a, j := range accs {
				cdt := f.Captured[j].spec.DType
				g, err := grad(1+k+len(f.Hoisted)+param[j], dW[j], cdt)
				if err != nil {
					return nil, err
				}
				next = append(next, fs.binary(base+"/add", "Add", v[2+k+a], g, cdt))
			}
			return next, nil
		})
	if err != nil {
		return err
	}
	dx := s.gather(base+"/dinput", dxTA, rec.rng, exits[1], dt, Shape{B, D})
	if !info.TimeMajor {
		dx = s.transpose3(base+"/transpose_1", dx, dt)
	}
	e.outs = make([]string, len(e.op.outputs))
	set := func(i int, n string) {
		if i >= 0 && i < len(e.outs) {
			e.outs[i] = n
		}
	}
	set(info.DX, dx)
	for j := 0; j < k; j++ {
		set(info.DInit[j], exits[2+j])
	}
	for a, j := range accs {
		set(info.DCaptured[j], exits[2+k+a])
	}
	for i, o := range e.outs {
		if o == "" {
			return errors.Errorf("output %d of the loop gradient has no GraphDef form", i)
		}
	}
	e.done = s.node(base+"/done", "NoOp", nil, nil, nodeOf(dx))
	return nil
}

// hoistedGrads writes, in a backward loop's frame, the products the loop
// hoists out of the step (each Hoisted argument is x·W[rows], computed
// here from the step's argument) and returns the gradient terms they add:
// per argument, dH·W[rows]ᵀ; per captured weight, x·dH (and the deferred
// blocks' a·dH) placed in the weight's rows.
func (fs *scope) hoistedGrads(base string, f *funcBody, fg *funcGrad, k int, dt DType) (map[int][]string, map[int][]string, error) {
	dArg, dW := map[int][]string{}, map[int][]string{}
	blocks := map[int][]rowBlock{}
	slices := map[int]string{}
	zero := func(i int) bool { return i < len(fg.Zero) && fg.Zero[i] }
	mm := func(a, b string, ta, tb bool) string {
		return fs.node(base+"/hoisted/MatMul", "MatMul", []string{a, b}, attrs{"T": aType(dt), "transpose_a": aBool(ta), "transpose_b": aBool(tb)})
	}
	for hi, h := range f.Hoisted {
		if h.Zero {
			// A plain MatMul(a, W) of the state, whose W gradient the loop
			// defers: its zero argument, shaped as the product.
			z, err := fs.zeroHoisted(base, f, hi, dt)
			if err != nil {
				return nil, nil, err
			}
			fs.out[h.Arg] = z
			continue
		}
		w, err := fs.ref(f.Params[h.W])
		if err != nil {
			return nil, nil, err
		}
		ws := fs.node(base+"/hoisted/strided_slice", "StridedSlice", []string{w, fs.ints(base+"/hoisted/begin", h.Row, 0),
			fs.ints(base+"/hoisted/end", h.Row+h.Rows, 0), fs.ints(base+"/hoisted/strides", 1, 1)}, stridedAttrs(dt, 2, 2, 0))
		slices[hi] = ws
		x, err := fs.ref(f.Args[h.X])
		if err != nil {
			return nil, nil, err
		}
		fs.out[h.Arg] = mm(x, ws, false, false)
		if zero(1 + k + hi) {
			continue
		}
		dh, err := fs.ref(fg.Grads[1+k+hi])
		if err != nil {
			return nil, nil, err
		}
		dArg[h.X] = append(dArg[h.X], mm(dh, ws, false, true))
		blocks[h.W] = append(blocks[h.W], rowBlock{mm(x, dh, true, false), h.Row, h.Rows})
	}
	for _, d := range f.Deferred {
		if zero(1 + k + d.Of) {
			continue
		}
		a, err := fs.ref(f.Args[d.A])
		if err != nil {
			return nil, nil, err
		}
		dh, err := fs.ref(fg.Grads[1+k+d.Of])
		if err != nil {
			return nil, nil, err
		}
		blocks[d.W] = append(blocks[d.W], rowBlock{mm(a, dh, true, false), d.Row, d.Rows})
	}
	keys := make([]int, 0, len(blocks))
	for j := range blocks {
		keys = append(keys, j)
	}
	sort.Ints(keys)
	for _, j := range keys {
		bs := blocks[j]
		ws := f.Params[j].spec.Shape
		if len(ws) != 2 || ws[0] < 0 || ws[1] < 0 {
			return nil, nil, errors.New("a hoisted weight's shape is not known")
		}
		// Blocks of one weight may overlap (a hoisted and a deferred
		// product of the same rows never do; several hoisted products of
		// one weight may): add each placed block.
		for _, b := range bs {
			dW[j] = append(dW[j], fs.placeRows(base+"/hoisted/dw", []rowBlock{b}, ws[0], ws[1], dt))
		}
	}
	return dArg, dW, nil
}

// zeroHoisted writes the zeros standing for f's Zero hoisted argument hi:
// ZerosLike of the product of its Deferred block's argument by the weight.
func (fs *scope) zeroHoisted(base string, f *funcBody, hi int, dt DType) (string, error) {
	for _, d := range f.Deferred {
		if d.Of != hi {
			continue
		}
		a, err := fs.ref(f.Args[d.A])
		if err != nil {
			return "", err
		}
		w, err := fs.ref(f.Params[d.W])
		if err != nil {
			return "", err
		}
		mm := fs.node(base+"/hoisted/MatMul", "MatMul", []string{a, w}, attrs{"T": aType(dt), "transpose_a": aBool(false), "transpose_b": aBool(false)})
		return fs.node(base+"/hoisted/zeros_like", "ZerosLike", []string{mm}, attrs{"T": aType(dt)}), nil
	}
	return "", errors.Errorf("internal error: hoisted argument %d has no deferred block", hi)
}
