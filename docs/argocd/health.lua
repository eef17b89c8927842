-- Argo CD health check for the partnercenter.csp.dev kinds: Customer,
-- MCAAttestation, ResellerPartnership and Subscription. The four kinds share
-- one status contract (Ready, Reconciling, Stalled and Paused conditions,
-- status.observedGeneration), so one script serves them all; argocd-cm.yaml
-- registers it once per kind. Mapping (docs/argocd/README.md):
--   being deleted                          -> Progressing
--   Paused=True                            -> Suspended
--   Stalled=True                           -> Degraded  (a person must act)
--   Ready=True for the current generation  -> Healthy
--   anything else                          -> Progressing, with the reason
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

-- describe renders a condition as "Reason: message" for the Argo CD UI.
local function describe(c, fallback)
  if c == nil or c.message == nil or c.message == "" then
    return fallback
  end
  if c.reason == nil or c.reason == "" then
    return c.message
  end
  return c.reason .. ": " .. c.message
end

local generation = obj.metadata.generation
local ready = condition("Ready")

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = describe(ready, "Pending deletion") .. " (pending deletion: the operator is carrying out the deletion policy)"
  return hs
end

local paused = condition("Paused")
if isTrue(paused) then
  hs.status = "Suspended"
  hs.message = describe(paused, "Paused")
  return hs
end

local stalled = condition("Stalled")
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled: a person must change the object")
  return hs
end

local observed = nil
if obj.status ~= nil then
  observed = obj.status.observedGeneration
end
if observed ~= nil and generation ~= nil and observed ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation .. " (status describes generation " .. observed .. ")"
  return hs
end

if isTrue(ready) and (ready.observedGeneration == nil or ready.observedGeneration == generation) then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

-- A Subscription names the gate that holds its order or its changes.
local blocked = condition("OrderBlocked")
if not isTrue(blocked) then
  blocked = condition("ChangesBlocked")
end
if isTrue(blocked) then
  hs.status = "Progressing"
  hs.message = blocked.type .. " (" .. describe(blocked, "blocked") .. ")"
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready, "Waiting for the operator to report status")
return hs
