#include "x509/anchor_keys.hpp"

namespace bastion::x509 {

AnchorKeys::AnchorKeys(const AnchorSet& anchors, const crypto::Provider& provider)
    : anchors_(anchors),
      provider_(provider),
      slots_(std::make_unique<Slot[]>(anchors.anchors().size())) {}

const crypto::PublicKey* AnchorKeys::find(const Certificate& anchor) const {
  const auto& all = anchors_.anchors();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].get() != &anchor) continue;
    Slot& slot = slots_[i];
    std::call_once(slot.once, [&] {
      if (!anchor.public_key()) return;
      if (auto key = provider_.import_public_key(*anchor.public_key())) {
        slot.key = std::move(key).value();
      }
    });
    return slot.key.get();
  }
  return nullptr;
}

}  // namespace bastion::x509
