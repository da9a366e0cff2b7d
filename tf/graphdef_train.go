package tf

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
