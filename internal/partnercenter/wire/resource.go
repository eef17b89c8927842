package wire

import (
	"bytes"
	"encoding/json"
)

// UnmarshalJSON keeps the subscription as Partner Center sent it, so the
// PATCH built from it carries every field, those this client does not model
// (refundableQuantity, promotions, actions, ...) too.
func (s *Subscription) UnmarshalJSON(b []byte) error {
	type modelled Subscription
	var m modelled
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*s = Subscription(m)
	s.asRead = bytes.Clone(b)
	return nil
}

// MarshalJSON writes the subscription as it was read with only the changed
// modelled fields changed (Partner Center's PATCH takes the full resource:
// a field left out is a field stripped).
func (s Subscription) MarshalJSON() ([]byte, error) {
	type modelled Subscription
	now, err := json.Marshal(modelled(s))
	if err != nil || len(s.asRead) == 0 {
		return now, err
	}
	var read modelled
	if err := json.Unmarshal(s.asRead, &read); err != nil {
		return nil, err
	}
	return withChanges(s.asRead, read, now)
}

// withChanges returns the object asRead with the top-level keys whose
// modelled value differs between read (asRead decoded) and now (the
// current value, encoded) replaced by now's, or removed where now left them
// out. Keys the model does not know stay byte for byte.
func withChanges[T any](asRead []byte, read T, now []byte) ([]byte, error) {
	wasModelled, err := json.Marshal(read)
	if err != nil {
		return nil, err
	}
	var out, before, after map[string]json.RawMessage
	for _, step := range []struct {
		raw []byte
		to  *map[string]json.RawMessage
	}{{asRead, &out}, {wasModelled, &before}, {now, &after}} {
		if err := json.Unmarshal(step.raw, step.to); err != nil {
			return nil, err
		}
	}
	for key, was := range before {
		if is, ok := after[key]; !ok {
			delete(out, key)
		} else if !bytes.Equal(was, is) {
			out[key] = is
		}
	}
	for key, is := range after {
		if _, ok := before[key]; !ok {
			out[key] = is
		}
	}
	return json.Marshal(out)
}
