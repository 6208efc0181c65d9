package wire

import (
	"encoding/gob"
	"fmt"
	"reflect"
	"sync"
	"time"
)

// Back names an object of the receiving side coming home: a proxy sent
// back to the side its object lives on is that object again.
type Back struct {
	ID uint64
}

// Proxy is implemented by the values NewProxy makes, so that a proxy sent
// back to the side its object lives on arrives as that object.
type Proxy interface {
	WireRef() (*Conn, Ref)
}

var registry struct {
	sync.RWMutex
	values  map[reflect.Type]bool                     // types that cross by value (gob)
	proxies map[reflect.Type]func(c *Conn, r Ref) any // how to wrap a remote object in a local type
	errs    []error                                   // sentinel errors, in registration order
	errType []reflect.Type                            // error types that cross by value (*vm.Fault)
}

// RegisterValue makes the types of values cross by value. Both sides must
// register the same types; a type not registered crosses as an object.
func RegisterValue(values ...any) {
	registry.Lock()
	defer registry.Unlock()
	for _, v := range values {
		gob.Register(v)
		registry.values[reflect.TypeOf(v)] = true
	}
}

// RegisterProxy says how to wrap a remote object received where a T is
// expected (T an interface the object implements, or a proxy type).
func RegisterProxy[T any](wrap func(c *Conn, r Ref) T) {
	registry.Lock()
	defer registry.Unlock()
	registry.proxies[reflect.TypeFor[T]()] = func(c *Conn, r Ref) any { return wrap(c, r) }
}

// RegisterSentinel makes errors.Is(err, s) survive the crossing for errors
// that wrap s. Both sides must register the same sentinels in the same order.
func RegisterSentinel(s ...error) {
	registry.Lock()
	defer registry.Unlock()
	registry.errs = append(registry.errs, s...)
}

// RegisterErrorType makes errors.As(err, &target) survive the crossing for
// errors that wrap a value of E's type (a pointer type registered with
// RegisterValue, e.g. *vm.Fault).
func RegisterErrorType[E error]() {
	registry.Lock()
	defer registry.Unlock()
	registry.errType = append(registry.errType, reflect.TypeFor[E]())
}

func init() {
	registry.values = map[reflect.Type]bool{}
	registry.proxies = map[reflect.Type]func(*Conn, Ref) any{}
	for _, v := range []any{Ref{}, Back{}, Seq{}, &Error{}, time.Duration(0), []any{}} {
		gob.Register(v)
	}
	registry.values[reflect.TypeFor[time.Duration]()] = true
}

// byValue reports whether values of t cross by value.
func byValue(t reflect.Type) bool {
	registry.RLock()
	ok := registry.values[t]
	registry.RUnlock()
	if ok {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return t.PkgPath() == "" // a named basic type must be registered
	case reflect.Slice:
		return t.PkgPath() == "" && t.Elem().Kind() == reflect.Uint8
	}
	return false
}

var errorType = reflect.TypeFor[error]()

// export turns a local value into what crosses the pipe: the value itself,
// an *Error, a Ref to a local object, or a Back to a remote one.
func (c *Conn) export(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Type() == errorType {
		if v.IsNil() {
			return nil
		}
		return c.exportError(v.Interface().(error))
	}
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if byValue(v.Type()) {
		return v.Interface()
	}
	if err, ok := v.Interface().(error); ok {
		return c.exportError(err)
	}
	if isSeq(v.Type()) && !v.IsNil() {
		return c.collect(v)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Chan, reflect.Slice:
		if v.IsNil() {
			return nil
		}
	}
	if p, ok := v.Interface().(Proxy); ok {
		if pc, ref := p.WireRef(); pc == c {
			return Back(ref)
		}
	}
	return Ref{ID: c.keep(v)}
}

// objectKey identifies a local object for reuse of its ID; funcs are not
// comparable and get a new ID each time they are sent.
type objectKey struct {
	t reflect.Type
	p uintptr
}

// keep stores a local object for the other side to call and returns its ID.
func (c *Conn) keep(v reflect.Value) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var key objectKey
	if k := v.Kind(); k == reflect.Pointer || k == reflect.Map || k == reflect.Chan {
		key = objectKey{v.Type(), v.Pointer()}
		if id, ok := c.ids[key]; ok {
			return id
		}
	}
	id := c.next
	c.next++
	c.objects[id] = v.Interface()
	if key.t != nil {
		c.ids[key] = id
	}
	return id
}

// importValue turns what crossed the pipe into a local value of type t.
func (c *Conn) importValue(a any, t reflect.Type) (reflect.Value, error) {
	switch a := a.(type) {
	case nil:
		return reflect.Zero(t), nil
	case *Error:
		if !errorType.AssignableTo(t) && t != errorType {
			return reflect.Value{}, fmt.Errorf("an error where a %v is expected", t)
		}
		return reflect.ValueOf(c.importError(a)).Convert(t), nil
	case Back:
		c.mu.Lock()
		obj, ok := c.objects[a.ID]
		c.mu.Unlock()
		if !ok {
			return reflect.Value{}, fmt.Errorf("no local object %d", a.ID)
		}
		v := reflect.ValueOf(obj)
		if !v.Type().AssignableTo(t) {
			return reflect.Value{}, fmt.Errorf("object %d is a %v, not a %v", a.ID, v.Type(), t)
		}
		return v, nil
	case Seq:
		if !isSeq(t) {
			return reflect.Value{}, fmt.Errorf("a sequence where a %v is expected", t)
		}
		return c.yielder(a, t)
	case Ref:
		registry.RLock()
		wrap, ok := registry.proxies[t]
		registry.RUnlock()
		if ok {
			return reflect.ValueOf(wrap(c, a)), nil
		}
		if t.Kind() == reflect.Func {
			return c.remoteFunc(a, t), nil
		}
		return reflect.Value{}, fmt.Errorf("no proxy for %v", t)
	}
	v := reflect.ValueOf(a)
	switch {
	case v.Type().AssignableTo(t):
		return v, nil
	case v.Type().ConvertibleTo(t) && v.Kind() == t.Kind():
		return v.Convert(t), nil
	}
	return reflect.Value{}, fmt.Errorf("a %v where a %v is expected", v.Type(), t)
}

// remoteFunc makes a local func of type t that calls the remote func r.
func (c *Conn) remoteFunc(r Ref, t reflect.Type) reflect.Value {
	return reflect.MakeFunc(t, func(in []reflect.Value) []reflect.Value {
		args := make([]any, len(in))
		for i, v := range in {
			args[i] = v.Interface()
		}
		outs := make([]any, t.NumOut())
		for i := range outs {
			outs[i] = reflect.New(t.Out(i)).Interface()
		}
		c.Call(r, "", args, outs...)
		res := make([]reflect.Value, len(outs))
		for i, o := range outs {
			res[i] = reflect.ValueOf(o).Elem()
		}
		return res
	})
}

// Seq is an iterator (iter.Seq[T]) crossing the pipe: the values it
// yielded when the sender ran it to the end, once.
type Seq struct {
	Items []any
}

// isSeq reports whether t has iter.Seq's shape: func(yield func(T) bool).
func isSeq(t reflect.Type) bool {
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.NumOut() != 0 {
		return false
	}
	y := t.In(0)
	return y.Kind() == reflect.Func && y.NumIn() == 1 && y.NumOut() == 1 && y.Out(0).Kind() == reflect.Bool
}

// collect runs the local iterator seq to the end and exports its values.
func (c *Conn) collect(seq reflect.Value) Seq {
	var s Seq
	yield := reflect.MakeFunc(seq.Type().In(0), func(in []reflect.Value) []reflect.Value {
		s.Items = append(s.Items, c.export(in[0]))
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return s
}

// yielder makes a local iterator of type t yielding the values of s.
func (c *Conn) yielder(s Seq, t reflect.Type) (reflect.Value, error) {
	elem := t.In(0).In(0)
	items := make([]reflect.Value, len(s.Items))
	for i, it := range s.Items {
		v, err := c.importValue(it, elem)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("item %d: %v", i, err)
		}
		items[i] = v
	}
	return reflect.MakeFunc(t, func(in []reflect.Value) []reflect.Value {
		for _, v := range items {
			if !in[0].Call([]reflect.Value{v})[0].Bool() {
				break
			}
		}
		return nil
	}), nil
}

// inContract reports whether method belongs to one of the registered proxy
// interfaces that t implements.
func inContract(t reflect.Type, method string) bool {
	registry.RLock()
	defer registry.RUnlock()
	for i := range registry.proxies {
		if i.Kind() == reflect.Interface && t.Implements(i) {
			if _, ok := i.MethodByName(method); ok {
				return true
			}
		}
	}
	return false
}
