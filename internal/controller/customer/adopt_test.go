package customer

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// oneCustomerLookUps is Partner Center for the adopt path: it counts FindCustomer calls and
// has no other customer read (the nil External panics on ListAllCustomers).
type oneCustomerLookUps struct {
	External
	accepted bool
	finds    int
}

func (p *oneCustomerLookUps) GetRelationshipRequestURL(context.Context) (*wire.RelationshipRequest, error) {
	return &wire.RelationshipRequest{URL: "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship"}, nil
}

func (p *oneCustomerLookUps) FindCustomer(_ context.Context, tenantID string) (*wire.Customer, bool, error) {
	p.finds++
	if !p.accepted {
		return nil, false, nil
	}
	return &wire.Customer{ID: tenantID, RelationshipToPartner: wire.RelationshipReseller}, true, nil
}

// TestC7AdoptPollReadsOneCustomer: each poll of a Customer waiting for its tenant costs one
// look-up of that tenant, however many customers the partner has.
func TestC7AdoptPollReadsOneCustomer(t *testing.T) {
	pc := &oneCustomerLookUps{}
	r := &Reconciler{External: pc}
	tenant := uuid.NewString()
	c := &v1alpha1.Customer{Spec: v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant}}
	for poll := 1; poll <= 3; poll++ {
		halt, err := r.adopt(t.Context(), c)
		if err != nil || halt == nil || c.Status.Adopted {
			t.Fatalf("poll %d before acceptance: halt %v, err %v, adopted %t", poll, halt, err, c.Status.Adopted)
		}
		if pc.finds != poll {
			t.Fatalf("%d look-ups after %d polls", pc.finds, poll)
		}
	}
	pc.accepted = true
	if halt, err := r.adopt(t.Context(), c); err != nil || halt != nil {
		t.Fatalf("poll after acceptance: halt %v, err %v", halt, err)
	}
	if !c.Status.Adopted || c.Status.CustomerID != tenant || pc.finds != 4 {
		t.Fatalf("adopted %t as %q after %d look-ups", c.Status.Adopted, c.Status.CustomerID, pc.finds)
	}
}
