package tf

import "github.com/pkg/errors"

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
