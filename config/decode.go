package config

import (
	"encoding"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"firebot/campaign"
)

// decoder walks a yaml.Node tree into Go values by their `yaml` struct tags,
// remembering the line of every key and collecting problems instead of
// stopping at the first one.
//
// Supported field types: structs (YAML mappings, unknown keys are problems),
// pointers to structs, slices (a scalar where a list of strings is expected
// counts as a one-item list), strings (including Secret), integers, floats,
// bools, time.Duration, time.Time (a `date:"end"` tag makes a bare date mean
// 23:59:59) and encoding.TextUnmarshaler. A null value keeps the default.
type decoder struct {
	file     string
	loc      *time.Location
	lines    map[string]int
	dateOnly map[string]bool // paths of times given as bare dates
	fromEnv  map[string]string
	problems []Problem
	// district is the district file's name while a street file of that
	// district is decoded; empty for a lone configuration file.
	district string
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
	secretType   = reflect.TypeFor[Secret]()
	textType     = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// elemDefaults fill a new list element before it is decoded.
var elemDefaults = map[reflect.Type]func(v reflect.Value){
	reflect.TypeFor[campaign.Task](): func(v reflect.Value) {
		t := v.Addr().Interface().(*campaign.Task)
		t.Required = 1
		t.Deadline = campaign.DefaultTaskDeadline
	},
}

func (d *decoder) addf(line int, path, format string, args ...any) {
	d.problems = append(d.problems, Problem{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// at reports a problem at a key path, using the line of the path or of its
// nearest recorded parent.
func (d *decoder) at(path, format string, args ...any) {
	d.addf(d.line(path), path, format, args...)
}

func (d *decoder) line(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "键值表"
	case yaml.SequenceNode:
		return "列表"
	}
	return "单个值"
}

// decode stores n into v (addressable). field is the struct field v is, or
// nil for list elements and the root.
func (d *decoder) decode(n *yaml.Node, path string, v reflect.Value, field *reflect.StructField) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	t := v.Type()
	switch {
	case t == durationType:
		s, ok := d.scalar(n, path, "时长")
		if !ok {
			return
		}
		dur, err := parseDuration(s)
		if err != nil {
			d.addf(n.Line, path, "%v", err)
			return
		}
		if dur < 0 {
			d.addf(n.Line, path, "时长不能为负数")
			return
		}
		v.SetInt(int64(dur))
		return
	case t == timeType:
		s, ok := d.scalar(n, path, "时间")
		if !ok {
			return
		}
		edge := campaign.StartOfDay
		if field != nil && field.Tag.Get("date") == "end" {
			edge = campaign.EndOfDay
		}
		tm, dateOnly, err := campaign.ParseTime(s, d.loc, edge)
		if err != nil {
			d.addf(n.Line, path, "无法解析时间 %q（支持 RFC 3339、\"2023-10-27 17:00\" 或 \"2023-10-28\"）", s)
			return
		}
		v.Set(reflect.ValueOf(tm))
		if dateOnly {
			d.dateOnly[path] = true
		}
		return
	case reflect.PointerTo(t).Implements(textType):
		s, ok := d.scalar(n, path, "字符串")
		if !ok {
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			d.addf(n.Line, path, "%v", err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		d.mapping(n, path, v)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, path, v.Elem(), field)
	case reflect.Slice:
		d.sequence(n, path, v)
	case reflect.String:
		what := "字符串"
		if t == secretType {
			what = "密钥字符串"
		}
		if s, ok := d.scalar(n, path, what); ok {
			v.SetString(s)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, ok := d.scalar(n, path, "整数")
		if !ok {
			return
		}
		i, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			d.addf(n.Line, path, "应为整数，而不是 %q", s)
			return
		}
		v.SetInt(i)
	case reflect.Float32, reflect.Float64:
		s, ok := d.scalar(n, path, "数字")
		if !ok {
			return
		}
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			d.addf(n.Line, path, "应为数字，而不是 %q", s)
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		s, ok := d.scalar(n, path, "true 或 false")
		if !ok {
			return
		}
		switch s {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			d.addf(n.Line, path, "应为 true 或 false，而不是 %q", s)
		}
	default:
		// A programming error in the Config types, not a user mistake.
		panic(fmt.Sprintf("config: cannot decode into %v", t))
	}
}

// scalar returns n's text, or reports that a single value was expected.
func (d *decoder) scalar(n *yaml.Node, path, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.addf(n.Line, path, "应为%s，而不是%s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) mapping(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.addf(n.Line, path, "应为键值表（key: value），而不是%s", kindName(n))
		return
	}
	t := v.Type()
	fields := map[string]int{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !t.Field(i).IsExported() {
			continue
		}
		fields[name] = i
		names = append(names, name)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		key := k.Value
		p := join(path, key)
		if k.Kind != yaml.ScalarNode {
			d.addf(k.Line, path, "键必须是简单的名字")
			continue
		}
		if key == "<<" {
			d.addf(k.Line, p, "不支持 YAML 合并键 <<，请直接写出各项")
			continue
		}
		if seen[key] {
			d.addf(k.Line, p, "键重复出现")
			continue
		}
		seen[key] = true
		fi, ok := fields[key]
		if !ok {
			if s := suggest(key, names); s != "" {
				d.addf(k.Line, p, "未知的键（是不是 %s？）", s)
			} else {
				d.addf(k.Line, p, "未知的键（可用：%s）", strings.Join(names, "、"))
			}
			continue
		}
		d.lines[p] = k.Line
		if t == unitType && key == "officers" {
			d.officers(val, p, v.Addr().Interface().(*campaign.Unit))
			continue
		}
		sf := t.Field(fi)
		d.decode(val, p, v.Field(fi), &sf)
	}
}

func (d *decoder) sequence(n *yaml.Node, path string, v reflect.Value) {
	et := v.Type().Elem()
	if n.Kind == yaml.ScalarNode && et.Kind() == reflect.String && et != secretType {
		n = &yaml.Node{Kind: yaml.SequenceNode, Line: n.Line, Content: []*yaml.Node{n}}
	}
	if n.Kind != yaml.SequenceNode {
		d.addf(n.Line, path, "应为列表，而不是%s", kindName(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := index(path, i)
		d.lines[p] = item.Line
		if fill := elemDefaults[et]; fill != nil {
			fill(s.Index(i))
		}
		d.decode(item, p, s.Index(i), nil)
	}
	v.Set(s)
}

var unitType = reflect.TypeFor[campaign.Unit]()

// officers reads a unit's officers: each a plain user id or an object
// {id, name, phone}. Officers gets the ids; OfficerInfo the objects when
// any gives a name or phone.
func (d *decoder) officers(n *yaml.Node, path string, u *campaign.Unit) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind == yaml.ScalarNode {
		n = &yaml.Node{Kind: yaml.SequenceNode, Line: n.Line, Content: []*yaml.Node{n}}
	}
	if n.Kind != yaml.SequenceNode {
		d.addf(n.Line, path, "应为列表，而不是%s", kindName(n))
		return
	}
	u.Officers, u.OfficerInfo = make([]string, len(n.Content)), nil
	people := make([]campaign.Person, len(n.Content))
	named := false
	for i, item := range n.Content {
		p := index(path, i)
		d.lines[p] = item.Line
		if item = resolve(item); item.Kind == yaml.MappingNode {
			d.mapping(item, p, reflect.ValueOf(&people[i]).Elem())
		} else {
			d.decode(item, p, reflect.ValueOf(&people[i].ID).Elem(), nil)
		}
		u.Officers[i] = people[i].ID
		named = named || people[i].Name != "" || people[i].Phone != ""
	}
	if named {
		u.OfficerInfo = people
	}
}
