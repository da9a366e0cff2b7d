package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/runenv"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl/hook"
)

// engine is package tf's side of internal/tfimpl: what gorgoflow's own
// packages (nn, train, session, internal/lower, ...) need of tf that users
// do not. Its methods are exported so that tfimpl can name them in an
// interface; the type is not, so they stay out of tf's API. See doc.go.
type engine struct{}

func init() { hook.Engine = engine{} }

func (engine) KernelRun(c *KernelContext) *runenv.Run                { return &c.run }
func (engine) ErrTensor(err error) *Tensor                           { return errorTensor(err) }
func (engine) ConvertToTensor(v any, d DType) (*tensor.Dense, error) { return convertToTensor(v, d) }
func (engine) Float64s(d *tensor.Dense) []float64                    { return float64s(d) }
func (engine) FormatDense(d *tensor.Dense) string                    { return formatDense(d) }
func (engine) DataTypeProto(d DType) (int32, string)                 { return dataTypeProto(d) }
func (engine) NewDense(s Spec) *tensor.Dense                         { return newDense(s) }
func (engine) SpecOf(d *tensor.Dense) Spec                           { return specOf(d) }
func (engine) IsArg(t *Tensor) bool                                  { return isArg(t) }
func (engine) MissingFeedMessage(t *Tensor) string                   { return missingFeedMessage(t) }
func (engine) Def(op *Operation) *OpDef                              { return op.def }
func (engine) OpID(op *Operation) int                                { return op.id }
func (engine) OpSite(op *Operation) string                           { return op.site }
func (engine) CheckValue(v *Variable, value any) (*tensor.Dense, error) {
	return v.checkValue(value)
}

func (engine) InferSpecs(def *OpDef, attrs Attrs, in []Spec) ([]Spec, error) {
	return safeInfer(def, attrs, in)
}

func (engine) ResolveFetch(f Fetch) (*Tensor, *Operation, error) {
	if f == nil {
		return nil, nil, errors.New("fetch is nil")
	}
	return f.fetch()
}

// ParseArgs parses opts for tfimpl.Args: which keywords were given and each
// option's value (its default when not given) by keyword.
func (engine) ParseArgs(fn string, opts []Option, allowed []string) (map[string]bool, func(key string) any, error) {
	o, err := parseOptions(fn, opts, allowed...)
	if err != nil {
		return nil, nil, err
	}
	return o.given, o.get, nil
}

// optionFields reads the options kept in typed fields, by keyword, for
// tfimpl.Args; the others are in options.extra.
var optionFields = map[string]func(o *options) any{
	"name":                   func(o *options) any { return o.name },
	"axis":                   func(o *options) any { return o.axes },
	"keepdims":               func(o *options) any { return o.keepDims },
	"alpha":                  func(o *options) any { return o.alpha },
	"dtype":                  func(o *options) any { return o.dtype },
	"noise_shape":            func(o *options) any { return o.noise },
	"seed":                   func(o *options) any { return o.seed },
	"partition_strategy":     func(o *options) any { return o.nn.partition },
	"max_norm":               func(o *options) any { return o.nn.maxNorm },
	"num_true":               func(o *options) any { return o.nn.numTrue },
	"sampled_values":         func(o *options) any { return o.nn.sampled },
	"remove_accidental_hits": func(o *options) any { return o.nn.removeHits },
	"subtract_log_q":         func(o *options) any { return o.nn.subtractLogQ },
	"unigrams":               func(o *options) any { return o.nn.unigrams },
	"distortion":             func(o *options) any { return o.nn.distortion },
	"num_reserved_ids":       func(o *options) any { return o.nn.reserved },
}

// get returns the option with keyword key, for tfimpl.Args.
func (o *options) get(key string) any {
	if field, ok := optionFields[key]; ok {
		return field(o)
	}
	return o.extra[key]
}

func (engine) NewFunc(outer *Graph, name string, args []Spec, build func(args []*Tensor) []*Tensor) (*funcBody, error) {
	return newFunc(outer, name, args, build)
}

func (engine) FuncGradient(f *funcBody) (*funcGrad, error) { return funcGradient(f) }
func (engine) HoistProducts(f *funcBody, x int) error      { return hoistProducts(f, x) }
func (engine) FuncOf(g *Graph) *funcBody                   { return g.body }
func (engine) Outer(g *Graph) *Graph                       { return g.parent }
func (engine) IsPlaceholder(t *Tensor) bool                { return isPlaceholder(t) }
