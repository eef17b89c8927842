package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// auditEvent is the part of an audit.k8s.io/v1 Event the harness reads.
type auditEvent struct {
	Verb string `json:"verb"`
	User struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Subresource string `json:"subresource"`
	} `json:"objectRef"`
	ResponseStatus *struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
	RequestReceivedTimestamp time.Time `json:"requestReceivedTimestamp"`
}

// resource is "customers" or "customers/status".
func (e *auditEvent) resource() string {
	if e.ObjectRef == nil {
		return "-"
	}
	if e.ObjectRef.Subresource != "" {
		return e.ObjectRef.Resource + "/" + e.ObjectRef.Subresource
	}
	return e.ObjectRef.Resource
}

// writeVerbs are the verbs that change state.
var writeVerbs = map[string]bool{"create": true, "update": true, "patch": true, "delete": true, "deletecollection": true}

// RequestCounts are one user's API-server requests in a time window, as the
// API server's audit log records them.
type RequestCounts struct {
	// ByVerb counts requests per verb (get, list, watch, create, update, patch, delete).
	ByVerb map[string]int `json:"byVerb"`
	// Writes counts requests per "verb resource[/subresource]" for the write verbs.
	Writes map[string]int `json:"writes"`
	// TotalWrites is the sum of Writes.
	TotalWrites int `json:"totalWrites"`
	// Total is every request.
	Total int `json:"total"`
	// Conflicts counts 409 answers (optimistic-concurrency losses).
	Conflicts int `json:"conflicts"`
}

// objectWrites counts the writes other than Events: the object and Secret
// writes an onboarding needs (Events are the manager's own choice, reported apart).
func (c *RequestCounts) objectWrites() int {
	n := c.TotalWrites
	for k, v := range c.Writes {
		if strings.HasSuffix(k, " events") {
			n -= v
		}
	}
	return n
}

// Window is a half-open time interval [From, To).
type Window struct{ From, To time.Time }

// contains reports whether t falls in the window.
func (w Window) contains(t time.Time) bool { return !t.Before(w.From) && t.Before(w.To) }

// CountRequests reads the audit log and counts user's requests received in each window.
func CountRequests(path, user string, windows ...Window) ([]RequestCounts, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	counts := make([]RequestCounts, len(windows))
	for i := range counts {
		counts[i] = RequestCounts{ByVerb: map[string]int{}, Writes: map[string]int{}}
	}
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var e auditEvent
		if err := json.Unmarshal(scanner.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("audit log %s: %w", path, err)
		}
		if e.User.Username != user {
			continue
		}
		for i, w := range windows {
			if w.contains(e.RequestReceivedTimestamp) {
				counts[i].add(&e)
			}
		}
	}
	return counts, scanner.Err()
}

// add counts one request.
func (c *RequestCounts) add(e *auditEvent) {
	c.Total++
	c.ByVerb[e.Verb]++
	if e.ResponseStatus != nil && e.ResponseStatus.Code == 409 {
		c.Conflicts++
	}
	if writeVerbs[e.Verb] {
		c.Writes[e.Verb+" "+e.resource()]++
		c.TotalWrites++
	}
}
