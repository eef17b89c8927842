package pcsim

import (
	"encoding/json"
	"net/http"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func (s *Simulator) listSubscriptions(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	q := c.r.URL.Query()
	orderID, mpnID := q.Get("order_id"), q.Get("mpn_id")
	var items []pc.Subscription
	for _, id := range s.subSeq {
		sub := s.subscriptions[id]
		if sub.customerID == st.customer.ID && (orderID == "" || sub.sub.OrderID == orderID) && (mpnID == "" || sub.sub.PartnerID == mpnID) {
			publishRefunds(sub, c.now)
			items = append(items, sub.sub)
		}
	}
	return collection(items)
}

// subscriptionOf returns the customer's subscription named in the path, or 404 code 20003.
func (s *Simulator) subscriptionOf(c *call) (*customerState, *subscriptionState, reply, bool) {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return nil, nil, rep, false
	}
	id := c.r.PathValue("subId")
	sub := s.subscriptions[id]
	if sub == nil || sub.customerID != st.customer.ID {
		return nil, nil, legacyError(http.StatusNotFound, pc.CodeSubscriptionNotFound, "Subscription "+id+" was not found."), false
	}
	return st, sub, reply{}, true
}

func (s *Simulator) getSubscription(c *call) reply {
	_, sub, rep, ok := s.subscriptionOf(c)
	if !ok {
		return rep
	}
	publishRefunds(sub, c.now)
	return jsonReply(http.StatusOK, sub.sub)
}

// updateSubscription applies a full-resource PATCH: etag (If-Match or body; stale → 400 2055),
// no updates to a deleted subscription (2011), quantity/status changes blocked while the
// customer is (403 800073/800075), cancel and seat decrease only inside the cancellation window
// (900117 / 800090). Changeable: quantity, status, autoRenewEnabled, friendlyName, partnerId,
// scheduledActions, scheduledNextTermInstructions (nextterm.go).
func (s *Simulator) updateSubscription(c *call) reply {
	st, sub, rep, ok := s.subscriptionOf(c)
	if !ok {
		return rep
	}
	var next pc.Subscription
	if rep, ok := decode(c, &next); !ok {
		return rep
	}
	cur := sub.sub
	switch {
	case requestEtag(c.r, next.Attributes.Etag) != cur.Attributes.Etag:
		return legacyError(http.StatusBadRequest, pc.CodeSubscriptionETagStale, "Etag is no longer valid")
	case cur.Status == pc.SubscriptionStatusDeleted:
		return legacyError(http.StatusBadRequest, "2011", "A deleted subscription cannot be updated.")
	}
	seatsOrStatus := next.Quantity != cur.Quantity || next.Status != cur.Status
	if seatsOrStatus {
		if rep, ok := customerGate(st); !ok {
			return rep
		}
	}
	outsideWindow := c.now.After(sub.cancelUntil)
	switch {
	case next.Status == pc.SubscriptionStatusDeleted && cur.Status != pc.SubscriptionStatusDeleted && outsideWindow:
		return legacyError(http.StatusBadRequest, pc.CodeCancellationWindowPassed, "You have passed your 7-day cancellation window")
	case next.Quantity < cur.Quantity && cur.Quantity-next.Quantity > refundableSeats(sub, c.now):
		return legacyError(http.StatusBadRequest, pc.CodeQuantityCannotDecrease, "Subscription quantity cannot be decreased")
	case next.Quantity <= 0:
		return legacyError(http.StatusBadRequest, "2002", "quantity must be at least 1.")
	}
	if rep, refused := nextTermRefused(cur, next); refused {
		return rep
	}
	scheduleNextTerm(&cur, next)
	changeSeats(sub, next.Quantity-cur.Quantity, c.now)
	cur.ScheduledActions = next.ScheduledActions
	cur.Quantity, cur.AutoRenewEnabled, cur.FriendlyName, cur.PartnerID = next.Quantity, next.AutoRenewEnabled, next.FriendlyName, next.PartnerID
	if next.Status != "" {
		cur.Status = next.Status
	}
	cur.Attributes.Etag = s.newEtag()
	sub.sub = cur
	publishRefunds(sub, c.now)
	s.track(sub)
	return jsonReply(http.StatusOK, sub.sub)
}

// putSupportContact sets the designated support contact; it must name an Active reseller
// (tenant and MPN id). Choice: otherwise 400 code 2000.
func (s *Simulator) putSupportContact(c *call) reply {
	_, sub, rep, ok := s.subscriptionOf(c)
	if !ok {
		return rep
	}
	var contact pc.SupportContact
	if rep, ok := decode(c, &contact); !ok {
		return rep
	}
	r := s.activeResellerByMPN(contact.SupportMpnID)
	if r == nil || r.TenantID != contact.SupportTenantID {
		return invalidInput("The support contact must be an indirect reseller with an active relationship.")
	}
	contact.Name = r.Name
	contact.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeSupportContact}
	sub.supportContact = &contact
	return jsonReply(http.StatusOK, contact)
}

func (s *Simulator) getSupportContact(c *call) reply {
	_, sub, rep, ok := s.subscriptionOf(c)
	if !ok {
		return rep
	}
	if sub.supportContact == nil {
		return notFound("Support contact of subscription", sub.sub.ID)
	}
	return jsonReply(http.StatusOK, sub.supportContact)
}

// setCostManagementPolicy is the ARM customer policy PUT (C11): api-version 2020-05-01, a
// visible customer, viewCharges Allowed or NotAllowed. Errors use the ARM shape.
func (s *Simulator) setCostManagementPolicy(c *call) reply {
	if v := c.r.URL.Query().Get("api-version"); v != pc.CostManagementAPIVersion {
		return armError(http.StatusBadRequest, "InvalidApiVersionParameter", "The api-version '"+v+"' is invalid.")
	}
	id := c.r.PathValue("id")
	st := s.customers[id]
	if st == nil || !st.visible() {
		return armError(http.StatusNotFound, "NotFound", "Customer "+id+" was not found.")
	}
	var p pc.CostManagementPolicy
	if err := json.Unmarshal(c.body, &p); err != nil || (p.Properties.ViewCharges != pc.ViewChargesAllowed && p.Properties.ViewCharges != pc.ViewChargesNotAllowed) {
		return armError(http.StatusBadRequest, "InvalidRequest", "properties.viewCharges must be Allowed or NotAllowed.")
	}
	p.ID = c.r.URL.Path
	p.Name, p.Type = "default", "Microsoft.Billing/billingAccounts/customers/policies"
	st.costPolicy = &p
	return jsonReply(http.StatusOK, p)
}

// SupportContact returns the designated support contact of a subscription (a
// test's view of what GET .../supportcontact answers); ok is false when none is set.
func (s *Simulator) SupportContact(subscriptionID string) (contact pc.SupportContact, ok bool) {
	_ = s.locked(func(time.Time) error {
		if sub := s.subscriptions[subscriptionID]; sub != nil && sub.supportContact != nil {
			contact, ok = *sub.supportContact, true
		}
		return nil
	})
	return contact, ok
}
