package summary

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/pb"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// badColor is TF's ImageSummary bad_color default: non-finite pixels are
// opaque red.
var badColor = [4]uint8{255, 0, 0, 255}

var imageDef = &tf.OpDef{
	Type: "ImageSummary",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		s := in[0]
		if !s.DType.IsFloating() {
			return nil, errors.Errorf("an image summary needs float32 or float64 pixels, not %s", s.DType)
		}
		if s.Shape != nil && (len(s.Shape) != 4 || (s.Shape[3] >= 0 && s.Shape[3] != 1 && s.Shape[3] != 3 && s.Shape[3] != 4)) {
			return nil, errors.Errorf("Tensor must be 4-D with last dim 1, 3, or 4, not %v", s.Shape)
		}
		return stringInfer(a, in)
	},
	Kernel: func(c *tf.KernelContext) error {
		x := c.In[0]
		sh := x.Shape()
		if len(sh) != 4 || (sh[3] != 1 && sh[3] != 3 && sh[3] != 4) {
			return errors.Errorf("Tensor must be 4-D with last dim 1, 3, or 4, not %v", sh)
		}
		b, h, w, depth := sh[0], sh[1], sh[2], sh[3]
		vals := tfimpl.Float64s(x)
		maxImages := c.Op.Attrs().Int("max_images", 3)
		s := pb.New()
		for i := 0; i < min(maxImages, b); i++ {
			tag := c.Op.Name() + "/image"
			if maxImages > 1 {
				tag += "/" + strconv.Itoa(i)
			}
			enc, err := encodeImage(vals[i*h*w*depth:(i+1)*h*w*depth], h, w, depth, x.Dtype() == tensor.Float32)
			if err != nil {
				return errors.Wrapf(err, "summary.Image %q", c.Op.Name())
			}
			img := pb.New().Int(1, "height", int64(h)).Int(2, "width", int64(w)).Int(3, "colorspace", int64(depth)).
				String(4, "encoded_image_string", string(enc))
			s.Msg(1, "value", pb.New().String(1, "tag", tag).Msg(4, "image", img))
		}
		c.Out[0] = stringScalar(string(s.Marshal()))
		return nil
	},
}

// encodeImage scales one image's float pixels ([h*w*depth], row-major,
// channels last) to bytes as TF's ImageSummary does and encodes them as a
// PNG: all pixels non-negative, scaled by 255/max; else by 127/max|value|
// and offset by 128; truncated to uint8; pixels with a non-finite channel
// in bad_color; the range is taken over the finite pixels. As TF's kernel,
// float32 images are scaled in float32 arithmetic.
func encodeImage(v []float64, h, w, depth int, f32 bool) ([]byte, error) {
	finite := func(p int) bool {
		for j := 0; j < depth; j++ {
			if x := v[p*depth+j]; math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for p := 0; p < h*w; p++ {
		if finite(p) {
			for j := 0; j < depth; j++ {
				x := float64(float32(v[p*depth+j]))
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	const zero = 1e-6
	var scale, offset float64
	if lo < 0 {
		m := math.Max(math.Abs(lo), math.Abs(hi))
		if m >= zero {
			scale = float64(float32(127 / m))
		}
		offset = 128
	} else if hi >= zero {
		scale = float64(float32(255 / hi))
	}
	pix := make([]uint8, h*w*depth)
	for p := 0; p < h*w; p++ {
		for j := 0; j < depth; j++ {
			if !finite(p) {
				pix[p*depth+j] = badColor[j]
				continue
			}
			if f32 {
				pix[p*depth+j] = uint8(float32(float32(v[p*depth+j])*float32(scale)) + float32(offset))
			} else {
				pix[p*depth+j] = uint8(v[p*depth+j]*scale + offset)
			}
		}
	}
	var img image.Image
	rect := image.Rect(0, 0, w, h)
	switch depth {
	case 1:
		img = &image.Gray{Pix: pix, Stride: w, Rect: rect}
	case 3:
		rgba := image.NewNRGBA(rect)
		for p := 0; p < h*w; p++ {
			rgba.SetNRGBA(p%w, p/w, color.NRGBA{pix[3*p], pix[3*p+1], pix[3*p+2], 255})
		}
		img = rgba
	case 4:
		img = &image.NRGBA{Pix: pix, Stride: 4 * w, Rect: rect}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Image returns a summary of images (tf.summary.image): t is [batch,
// height, width, channels] with 1 (grayscale), 3 (RGB) or 4 (RGBA)
// channels of float32 or float64 values, of which the first maxOutputs
// images (TF's default is 3) are written as PNGs under the tags
// "name/image/0", "name/image/1", ... ("name/image" when maxOutputs is 1).
// Values are scaled as TF's: each image's largest value to 255 when none
// is negative, else 0 to 128 and the largest magnitude to 128±127;
// non-finite pixels are red.
func Image(name string, t *tf.Tensor, maxOutputs int) *tf.Tensor {
	if t == nil {
		return tfimpl.ErrTensor(errors.Errorf("summary.Image at %s: tensor is nil", tfimpl.CallerSite()))
	}
	if maxOutputs < 1 {
		return tfimpl.ErrTensor(errors.Errorf("summary.Image %q at %s: max_outputs %d, want at least 1", name, tfimpl.CallerSite(), maxOutputs))
	}
	return tf.AddOp(tf.OpSpec{Def: imageDef, Name: name, Inputs: []any{t}, Attrs: tf.Attrs{"tag": name, "max_images": maxOutputs}}).Output(0)
}

var textDef = &tf.OpDef{
	Type: "TensorSummaryV2",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		if len(in) > 0 && in[0].DType != tf.String {
			return nil, errors.Errorf("a text summary needs a string tensor, not %s", in[0].DType)
		}
		return stringInfer(a, in)
	},
	Kernel: func(c *tf.KernelContext) error {
		x, _ := c.Op.Attrs()["text"].(*tensor.Dense)
		if len(c.In) > 0 {
			x = c.In[0]
		}
		shape := pb.New()
		for _, d := range x.Shape() {
			shape.Msg(2, "dim", pb.New().Int(1, "size", int64(d)))
		}
		tp := pb.New().Enum(1, "dtype", 7, "DT_STRING").Msg(2, "tensor_shape", shape)
		strs, ok := x.Data().([]string)
		if !ok {
			if s, isStr := x.Data().(string); isStr {
				strs = []string{s}
			}
		}
		for _, s := range strs {
			tp.StringAlways(8, "string_val", s)
		}
		meta := pb.New().Msg(1, "plugin_data", pb.New().String(1, "plugin_name", "text"))
		v := pb.New().String(1, "tag", c.Op.Name()).Msg(9, "metadata", meta).Msg(8, "tensor", tp)
		c.Out[0] = stringScalar(string(pb.New().Msg(1, "value", v).Marshal()))
		return nil
	},
}

// Text returns a summary of text (tf.summary.text), shown by TensorBoard's
// text dashboard (markdown) under the tag name: text is a string, a
// []string (a vector, shown as a table) or a string *tf.Tensor (gorgoflow
// graphs compute no strings but summaries, so text is usually a Go value).
func Text(name string, text any) *tf.Tensor {
	var in []any
	attrs := tf.Attrs{"tag": name}
	switch x := text.(type) {
	case string:
		attrs["text"] = tensor.New(tensor.WithShape(), tensor.WithBacking([]string{x}))
	case []string:
		attrs["text"] = tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(append([]string(nil), x...)))
	case *tf.Tensor:
		in = []any{x}
	default:
		return tfimpl.ErrTensor(errors.Errorf("summary.Text %q at %s: text is a %T; want a string, a []string or a string *tf.Tensor", name, tfimpl.CallerSite(), text))
	}
	return tf.AddOp(tf.OpSpec{Def: textDef, Name: name, Inputs: in, Attrs: attrs}).Output(0)
}
