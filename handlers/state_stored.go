package handlers

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The stored shape of a State (stateVersion 2): the engine's fields, the
// unit and the notes, and the flow's values as its struct (Flow.Data)
// under the flow's id. This release writes that shape under version 1
// (writeVersion), with every value also by name in the bag ("values") the
// release before it reads them from; see stateVersion. Only the router
// encodes and decodes, as only it knows each flow's struct. Dialogs and
// paused drafts stored by earlier releases are converted as they are read:
//   - version 1 kept the unit and the notes in the flow's struct, and the
//     values no struct held (a question's, 撤回's, a duplicate's) in a bag
//     of strings, "values";
//   - version 0 kept every value in that bag.
//
// The bag is read through the names of the flow struct's Slots (SetNamed).
// Encoding is lossless: decoding what was encoded gives the same State
// (TestStoredStateRoundTrip).

// storedState is State as stored, but for the flow's struct.
type storedState struct {
	Version int               `json:"version"`
	Flow    string            `json:"flow"`
	Step    string            `json:"step"`
	Unit    string            `json:"unit,omitempty"`
	Notes   map[string]string `json:"notes,omitempty"`
	Done    map[string]bool   `json:"done,omitempty"`
	History []string          `json:"history,omitempty"`
	Units   []string          `json:"units,omitempty"`
	Record  string            `json:"record,omitempty"`
	Photos  []string          `json:"photos,omitempty"`
	Started time.Time         `json:"started"`
	// Values is the bag of strings of versions 0 and 1: every value by
	// name (State.Named), as the release before this one reads them.
	Values map[string]string `json:"values,omitempty"`
}

// storedFields are storedState's JSON names, which no flow id may take.
var storedFields = []string{"version", "flow", "step", "unit", "notes", "done", "history", "units", "record", "photos", "started", "values"}

// encodeState stores s in the current shape.
func (r *Router) encodeState(s State) ([]byte, error) {
	st := storedState{
		Version: writeVersion, Flow: s.Flow, Step: s.Step, Unit: s.Unit, Notes: s.Notes, Done: s.Done, History: s.History,
		Units: s.Units, Record: s.Record, Photos: s.Photos, Started: s.Started,
	}
	if writeVersion < 2 {
		if named := s.Named(); len(named) > 0 {
			st.Values = named
		}
	}
	b, err := json.Marshal(st)
	if err != nil || s.Data == nil {
		return b, err
	}
	data, err := json.Marshal(s.Data)
	if err != nil {
		return nil, fmt.Errorf("handlers: encode dialog %s: %w", s.Flow, err)
	}
	key, err := json.Marshal(s.Flow)
	if err != nil {
		return nil, err
	}
	// The flow's struct, under its id, closes the object.
	b = append(b[:len(b)-1], ',')
	b = append(append(append(b, key...), ':'), data...)
	return append(b, '}'), nil
}

// decodeState reads a stored State of this or an earlier version,
// converting an earlier shape.
func (r *Router) decodeState(data []byte) (State, error) {
	var st storedState
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, fmt.Errorf("handlers: decode dialog: %w", err)
	}
	if st.Version > stateVersion {
		return State{}, fmt.Errorf("%w (version %d)", errNewerState, st.Version)
	}
	s := State{
		Version: stateVersion, Flow: st.Flow, Step: st.Step, Unit: st.Unit, Notes: st.Notes, Done: st.Done, History: st.History,
		Units: st.Units, Record: st.Record, Photos: st.Photos, Started: st.Started,
	}
	var raw json.RawMessage
	if f := r.flows[s.Flow]; f != nil && f.Data != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return State{}, fmt.Errorf("handlers: decode dialog: %w", err)
		}
		s.Data, raw = f.Data(), obj[s.Flow]
		if raw != nil {
			if err := json.Unmarshal(raw, s.Data); err != nil {
				return State{}, fmt.Errorf("handlers: decode dialog %s: %w", s.Flow, err)
			}
		}
	}
	if st.Version < 2 {
		if err := s.readVersion1(raw, st.Values); err != nil {
			return State{}, err
		}
	}
	if s.Done == nil {
		s.Done = map[string]bool{}
	}
	return s, nil
}

// readVersion1 converts what versions 0 and 1 kept elsewhere: the unit and
// the notes in the flow's struct (raw), the other values in a bag.
func (s *State) readVersion1(raw json.RawMessage, bag map[string]string) error {
	if raw != nil {
		var v1 struct {
			Unit  string            `json:"unit"`
			Notes map[string]string `json:"notes"`
		}
		if err := json.Unmarshal(raw, &v1); err != nil {
			return fmt.Errorf("handlers: decode dialog %s: %w", s.Flow, err)
		}
		if v1.Unit != "" {
			s.Unit = v1.Unit
		}
		for id, n := range v1.Notes {
			s.SetNamed(NoteKey(id), n)
		}
	}
	// A name with no place in this release was working state of a step
	// that no longer exists: the step asks again.
	for _, k := range slices.Sorted(maps.Keys(bag)) {
		s.SetNamed(k, bag[k])
	}
	return nil
}

// put copies the struct's non-empty values to their names.
func put(values map[string]string, sl Slots) {
	for key, ptr := range sl.Values {
		if *ptr != "" {
			values[key] = *ptr
		}
	}
	for key, ptr := range sl.Ints {
		if *ptr != 0 {
			values[key] = strconv.Itoa(*ptr)
		}
	}
	for key, ptr := range sl.Flags {
		if *ptr {
			values[key] = "1"
		}
	}
	for prefix, ptr := range sl.Prefixes {
		for id, v := range *ptr {
			if v != "" {
				values[prefix+id] = v
			}
		}
	}
	for key, ptr := range sl.Lists {
		if len(*ptr) > 0 {
			values[key] = string(mustJSON(*ptr))
		}
	}
}

// setSlot stores v in the field named key; "" clears it. A list is named
// with its JSON encoding.
func setSlot(sl Slots, key, v string) bool {
	if ptr, ok := sl.Values[key]; ok {
		*ptr = v
		return true
	}
	if ptr, ok := sl.Ints[key]; ok {
		n, err := strconv.Atoi(v)
		if v != "" && err != nil {
			return false
		}
		*ptr = n
		return true
	}
	if ptr, ok := sl.Flags[key]; ok {
		*ptr = v != ""
		return true
	}
	for prefix, ptr := range sl.Prefixes {
		id, ok := strings.CutPrefix(key, prefix)
		if !ok || id == "" {
			continue
		}
		if v == "" {
			delete(*ptr, id)
			return true
		}
		if *ptr == nil {
			*ptr = map[string]string{}
		}
		(*ptr)[id] = v
		return true
	}
	if ptr, ok := sl.Lists[key]; ok {
		var list []string
		if v != "" && json.Unmarshal([]byte(v), &list) != nil {
			return false
		}
		*ptr = list
		return true
	}
	return false
}

func mustJSON(v []string) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // a []string always encodes
	}
	return b
}
