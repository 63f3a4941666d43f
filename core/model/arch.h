// The forward's handle on the family table (io/family.h): the block quirks it switches on
// (gemmaNorm, embedScale, sandwichNorm). Names and config defaults live in the table itself.
#pragma once
#include "io/family.h"

namespace transmla::model {

using ArchTable = io::FamilySpec;
inline const ArchTable& archFor(io::Family family) {
    return io::familySpec(family);
}

} // namespace transmla::model
