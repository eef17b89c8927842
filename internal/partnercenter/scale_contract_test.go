package partnercenter_test

// Contract tests of the Partner Center side of a large book: the activity log, one-customer
// look-ups and the simulator's rate limits.

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

func TestContractAuditRecordsPagedThroughTheClient(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{})
	var created []string
	for i, domain := range []string{"a.onmicrosoft.com", "b.onmicrosoft.com", "c.onmicrosoft.com"} {
		created = append(created, e.mustCreateCustomer(t, "rid-"+domain, domain).ID)
		e.clock.Advance(time.Duration(i+1) * time.Minute)
	}
	records, err := e.client.ListAllAuditRecords(e.ctx, pc.ListAuditRecordsOptions{Start: contractEpoch, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 3 || e.sim.Calls(wire.OpListAuditRecords) != 3 {
		t.Fatalf("%d records in %d calls, want 3 pages of one", len(records), e.sim.Calls(wire.OpListAuditRecords))
	}
	for i, r := range records { // newest first
		if r.CustomerID != created[2-i] || r.OperationType != wire.AuditOperationAddCustomer {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	one, err := e.client.ListAllAuditRecords(e.ctx, pc.ListAuditRecordsOptions{
		Start: contractEpoch, End: contractEpoch.Add(90 * time.Second),
		Filter: &wire.Filter{Field: wire.AuditFilterFieldResourceType, Value: wire.AuditResourceCustomer, Operator: wire.AuditFilterOperatorEquals},
	})
	if err != nil || len(one) != 2 {
		t.Fatalf("window of 90 s: %d records, %v", len(one), err)
	}
	_, err = e.client.ListAuditRecords(e.ctx, pc.ListAuditRecordsOptions{Start: contractEpoch.AddDate(0, 0, -91)})
	var apiErr *pc.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Fatalf("start 91 days back: %v, want a 400", err)
	}
}

// TestContractFindCustomerIsOneCallPerLookUp is the C7 adopt look-up: one GET by tenant ID
// per poll, never a list of the partner's customers.
func TestContractFindCustomerIsOneCallPerLookUp(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{})
	for _, domain := range []string{"x.onmicrosoft.com", "y.onmicrosoft.com"} {
		e.mustCreateCustomer(t, "rid-"+domain, domain)
	}
	tenant := uuid.NewString()
	if err := e.sim.AddExistingTenant(tenant, "Existing Ltd"); err != nil {
		t.Fatal(err)
	}
	lookUp := func(tenantID string) (*wire.Customer, bool) {
		t.Helper()
		c, found, err := e.client.FindCustomer(e.ctx, tenantID)
		if err != nil {
			t.Fatal(err)
		}
		return c, found
	}
	if _, found := lookUp(tenant); found {
		t.Fatal("a tenant that has not accepted the relationship was found")
	}
	if err := e.sim.AcceptRelationshipRequest(tenant); err != nil {
		t.Fatal(err)
	}
	c, found := lookUp(strings.ToUpper(tenant)) // users may write the tenant ID in capitals
	if !found || c.ID != tenant || c.RelationshipToPartner != wire.RelationshipReseller {
		t.Fatalf("after acceptance: %+v, found %t", c, found)
	}
	if get, list := e.sim.Calls(wire.OpGetCustomer), e.sim.Calls(wire.OpListCustomers); get != 2 || list != 0 {
		t.Fatalf("two look-ups made %d gets and %d lists, want 2 and 0", get, list)
	}
}

// TestContractRateLimitSurfacesTheBucketsRetryAfter: a burst over the simulator's bucket
// comes back as a *ThrottledError carrying the time the bucket needs, without the client
// waiting (it is longer than MaxInlineRetryAfter).
func TestContractRateLimitSurfacesTheBucketsRetryAfter(t *testing.T) {
	limits := map[string]pcsim.RateLimit{pcsim.RateGroupCustomers: {Requests: 2, Per: time.Minute}}
	e := newContractEnv(t, pcsim.Config{RateLimits: limits, RateLimitClock: pcsim.NewSimClock(contractEpoch)})
	for range 2 {
		if _, _, err := e.client.FindCustomer(e.ctx, uuid.NewString()); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := e.client.FindCustomer(e.ctx, uuid.NewString())
	if wait, throttled := pc.IsThrottled(err); !throttled || wait != 30*time.Second {
		t.Fatalf("third call in the minute: %v (throttled %t, Retry-After %s), want 30 s", err, throttled, wait)
	}
	if e.sim.RateLimitedCalls() == 0 {
		t.Fatal("the simulator's bucket never answered 429")
	}
}
