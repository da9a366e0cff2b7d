package tf

import (
	"math"

	"github.com/pkg/errors"
)

// GraphDef forms of train's optimizer update ops (see train/hyper.go): a
// hyperparameter is an attribute (a number, written as a Const) or, when
// the op's "tensor_hypers" attribute names it, one of the op's inputs after
// its nIn gradient inputs (written as that input, cast to the variable's
// dtype as TF's optimizers cast it).

// hyper returns the node output giving hyperparameter key (node name
// suffix name) of an update op of a variable of dtype dt.
func (e *opExport) hyper(name, key string, nIn int, dt DType) string {
	names, _ := e.op.attrs["tensor_hypers"].([]string)
	for i, n := range names {
		if n != key {
			continue
		}
		in, idt := e.in[nIn+i], e.dtype(nIn+i)
		if idt == dt {
			return in
		}
		return e.sub(name+"/Cast", "Cast", []string{in}, attrs{"SrcT": aType(idt), "DstT": aType(dt), "Truncate": aBool(false)})
	}
	return e.s.scalar(e.name+"/"+name, dt, e.op.attrs.Float(key, 0))
}

// trainApply lists the update ops of train written by applyTF: the TF op
// and its inputs, "var" and "slotN" the variable and its slots by
// reference, "grad" (and "indices") the gradient, other names
// hyperparameters by their attribute key ("lr", "l1", ...; "global_step"
// is AdagradDA's step plus one, int64).
var trainApply = map[string][]string{
	"ApplyAdadelta":                      {"var", "slot0", "slot1", "lr", "rho", "epsilon", "grad"},
	"SparseApplyAdadelta":                {"var", "slot0", "slot1", "lr", "rho", "epsilon", "grad", "indices"},
	"ApplyFtrl":                          {"var", "slot0", "slot1", "grad", "lr", "l1", "l2", "lr_power"},
	"ApplyFtrlV2":                        {"var", "slot0", "slot1", "grad", "lr", "l1", "l2", "l2_shrinkage", "lr_power"},
	"SparseApplyFtrl":                    {"var", "slot0", "slot1", "grad", "indices", "lr", "l1", "l2", "lr_power"},
	"SparseApplyFtrlV2":                  {"var", "slot0", "slot1", "grad", "indices", "lr", "l1", "l2", "l2_shrinkage", "lr_power"},
	"ApplyProximalGradientDescent":       {"var", "lr", "l1", "l2", "grad"},
	"SparseApplyProximalGradientDescent": {"var", "lr", "l1", "l2", "grad", "indices"},
	"ApplyProximalAdagrad":               {"var", "slot0", "lr", "l1", "l2", "grad"},
	"SparseApplyProximalAdagrad":         {"var", "slot0", "lr", "l1", "l2", "grad", "indices"},
	"ApplyAdagradDA":                     {"var", "slot0", "slot1", "grad", "lr", "l1", "l2", "global_step"},
	"SparseApplyAdagradDA":               {"var", "slot0", "slot1", "grad", "indices", "lr", "l1", "l2", "global_step"},
	"SparseApplyMomentum":                {"var", "slot0", "lr", "grad", "indices", "momentum"},
	"SparseApplyAdagrad":                 {"var", "slot0", "lr", "grad", "indices"},
	"SparseApplyRMSProp":                 {"var", "slot0", "slot1", "lr", "decay", "momentum", "epsilon", "grad", "indices"},
	// train's centered RMSProp slots are ms, mg, mom; TF's op takes mg, ms, mom.
	"ApplyCenteredRMSProp":       {"var", "slot1", "slot0", "slot2", "lr", "decay", "momentum", "epsilon", "grad"},
	"SparseApplyCenteredRMSProp": {"var", "slot1", "slot0", "slot2", "lr", "decay", "momentum", "epsilon", "grad", "indices"},
	// GradientDescent's var.scatter_sub(IndexedSlices(values * lr, indices)).
	"ScatterSub": {"var", "indices", "scaled_grad"},
}

// hyperNames are the node name suffixes of hyperparameter constants.
var hyperNames = map[string]string{"lr": "learning_rate", "l1": "l1_regularization_strength",
	"l2": "l2_regularization_strength", "l2_shrinkage": "l2_shrinkage_regularization_strength",
	"lr_power": "learning_rate_power", "decay": "decay", "momentum": "momentum", "epsilon": "epsilon", "rho": "rho"}

// applyTF writes an update op of train as TF's op typ (see trainApply).
func (e *opExport) applyTF(typ string, v *Variable) error {
	a := e.op.attrs
	dt := v.dtype
	slots, _ := a["slots"].([]*Variable)
	sparse := typ == "ScatterSub" || len(typ) > 6 && typ[:6] == "Sparse"
	nIn := 1
	if sparse {
		nIn = 2
	}
	args := trainApply[typ]
	at := attrs{"T": aType(dt), "use_locking": aBool(false)}
	var in []string
	for _, arg := range args {
		switch arg {
		case "var":
			in = append(in, v.name)
		case "slot0", "slot1", "slot2":
			i := int(arg[4] - '0')
			if i >= len(slots) {
				return errors.Errorf("%s with %d slots", typ, len(slots))
			}
			in = append(in, slots[i].name)
		case "grad":
			in = append(in, e.in[0])
		case "scaled_grad":
			lr := e.hyper("learning_rate", "lr", nIn, dt)
			in = append(in, e.sub("mul", "Mul", []string{e.in[0], lr}, attrs{"T": aType(dt)}))
		case "indices":
			in = append(in, e.in[1])
			at["Tindices"] = aType(e.dtype(1))
		case "global_step":
			// AdagradDA reads global_step + 1 (its _prepare).
			gs := e.hyper("global_step", "global_step", nIn, Int64)
			one := e.s.scalar(e.name+"/global_step/one", Int64, 1)
			in = append(in, e.sub("global_step/add", "Add", []string{gs, one}, attrs{"T": aType(Int64)}))
		default:
			in = append(in, e.hyper(hyperNames[arg], arg, nIn, dt))
		}
	}
	switch typ {
	case "SparseApplyMomentum":
		at["use_nesterov"] = aBool(a.Bool("use_nesterov"))
	case "SparseApplyAdagrad":
		at["update_slots"] = aBool(true)
	}
	e.final(typ, in, at)
	return nil
}

// decaySchedule writes a learning rate schedule with the ops TF's
// learning_rate_decay.py builds: the step cast to the learning rate's
// dtype, then Floor, Pow, Cos, ... in that dtype.
func (e *opExport) decaySchedule(typ string) error {
	a := e.op.attrs
	dt := e.dtype(0)
	t := attrs{"T": aType(dt)}
	c := func(name string, x float64) string { return e.s.scalar(e.name+"/"+name, dt, x) }
	un := func(name, op, x string) string { return e.sub(name, op, []string{x}, t) }
	bin := func(name, op, x, y string) string { return e.sub(name, op, []string{x, y}, t) }
	lr, step := e.in[0], e.in[1]
	if typ == "PiecewiseConstant" {
		// x <= b[0] ? v[0] : x <= b[1] ? v[1] : ... : v[last], the
		// boundaries in x's dtype.
		b, v := a["boundaries"].([]float64), a["values"].([]float64)
		sdt := e.dtype(1)
		out := e.s.scalar(e.name+"/value", Float32, v[len(v)-1])
		for i := len(b) - 1; i >= 0; i-- {
			le := e.sub("LessEqual", "LessEqual", []string{step, e.s.scalar(e.name+"/boundary", sdt, b[i])}, attrs{"T": aType(sdt)})
			out = e.sub("Select", "Select", []string{le, e.s.scalar(e.name+"/value", Float32, v[i]), out}, attrs{"T": aType(Float32)})
		}
		e.final("Identity", []string{out}, attrs{"T": aType(Float32)})
		return nil
	}
	if sdt := e.dtype(1); sdt != dt {
		step = e.sub("Cast", "Cast", []string{step}, attrs{"SrcT": aType(sdt), "DstT": aType(dt), "Truncate": aBool(false)})
	}
	steps := c("decay_steps", a.Float("decay_steps", 1))
	frac := func() string {
		p := bin("truediv", "RealDiv", step, steps)
		if a.Bool("staircase") {
			p = un("Floor", "Floor", p)
		}
		return p
	}
	cosine := func(x string) string { // 0.5 * (1 + cos(pi * x))
		return bin("mul", "Mul", c("half", 0.5), bin("add", "Add", c("one", 1), un("Cos", "Cos", bin("mul", "Mul", c("pi", math.Pi), x))))
	}
	var out string
	switch typ {
	case "ExponentialDecay":
		out = bin("Pow", "Pow", c("decay_rate", a.Float("decay_rate", 0)), frac())
	case "NaturalExpDecay":
		rate := un("Exp", "Exp", un("Neg", "Neg", c("decay_rate", a.Float("decay_rate", 0))))
		out = bin("Pow", "Pow", rate, frac())
	case "InverseTimeDecay":
		den := bin("add", "Add", c("one", 1), bin("mul", "Mul", c("decay_rate", a.Float("decay_rate", 0)), frac()))
		e.final("RealDiv", []string{lr, den}, t)
		return nil
	case "PolynomialDecay":
		end := c("end_learning_rate", a.Float("end_learning_rate", 0))
		if a.Bool("cycle") {
			zero := e.sub("Equal", "Equal", []string{step, c("zero", 0)}, t)
			mult := e.sub("Select", "Select", []string{zero, c("one", 1), un("Ceil", "Ceil", bin("truediv", "RealDiv", step, steps))}, t)
			steps = bin("mul", "Mul", steps, mult)
		} else {
			step = bin("Minimum", "Minimum", step, steps)
		}
		p := bin("truediv", "RealDiv", step, steps)
		decayed := bin("mul", "Mul", bin("sub", "Sub", lr, end), bin("Pow", "Pow", bin("sub", "Sub", c("one", 1), p), c("power", a.Float("power", 1))))
		e.final("Add", []string{decayed, end}, t)
		return nil
	case "CosineDecay":
		alpha := a.Float("alpha", 0)
		f := bin("truediv", "RealDiv", bin("Minimum", "Minimum", step, steps), steps)
		out = bin("add", "Add", bin("mul", "Mul", c("one_minus_alpha", 1-alpha), cosine(f)), c("alpha", alpha))
	case "CosineDecayRestarts":
		alpha, tMul := a.Float("alpha", 0), a.Float("t_mul", 2)
		f := bin("truediv", "RealDiv", step, steps)
		var i string
		if tMul == 1 {
			i = un("Floor", "Floor", f)
			f = bin("sub", "Sub", f, i)
		} else {
			tm := c("t_mul", tMul)
			oneMinus := c("one_minus_t_mul", 1-tMul)
			i = un("Floor", "Floor", bin("truediv", "RealDiv", un("Log", "Log", bin("sub", "Sub", c("one", 1), bin("mul", "Mul", f, oneMinus))), un("Log", "Log", tm)))
			sum := bin("truediv", "RealDiv", bin("sub", "Sub", c("one", 1), bin("Pow", "Pow", tm, i)), oneMinus)
			f = bin("truediv", "RealDiv", bin("sub", "Sub", f, sum), bin("Pow", "Pow", tm, i))
		}
		m := bin("Pow", "Pow", c("m_mul", a.Float("m_mul", 1)), i)
		cos := bin("mul", "Mul", bin("mul", "Mul", c("half", 0.5), m), bin("add", "Add", c("one", 1), un("Cos", "Cos", bin("mul", "Mul", c("pi", math.Pi), f))))
		out = bin("add", "Add", bin("mul", "Mul", c("one_minus_alpha", 1-alpha), cos), c("alpha", alpha))
	case "LinearCosineDecay":
		s := bin("Minimum", "Minimum", step, steps)
		linear := bin("truediv", "RealDiv", bin("sub", "Sub", steps, s), steps)
		f := bin("mul", "Mul", c("two_num_periods", 2*a.Float("num_periods", 0.5)), bin("truediv", "RealDiv", s, steps))
		out = bin("add", "Add", bin("mul", "Mul", bin("add", "Add", c("alpha", a.Float("alpha", 0)), linear), cosine(f)), c("beta", a.Float("beta", 0.001)))
	}
	e.final("Mul", []string{lr, out}, t)
	return nil
}
