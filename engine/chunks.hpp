// Elements in chunks that never move, addressed by 32-bit places: for the records the
// engine holds by the hundred thousand and links to each other (tokens, facts), where a
// place is half a pointer and a pointer to an element must stay valid.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

namespace demarche::engine {

/// Default-constructed elements in chunks of 2^ChunkBits. Place 0 is an element that is
/// never handed out, so that 0 can stand for "none" and still be followed.
template <class T, unsigned ChunkBits>
class Chunks {
public:
    Chunks() { chunks_.push_back(std::make_unique<T[]>(chunk_size)); }

    T* at(std::uint32_t place) const noexcept { return &chunks_[place >> ChunkBits][place & chunk_mask]; }

    /// The place of a new element (default-constructed, never handed out before).
    std::uint32_t add() {
        if (next_ == std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("more than 2^32 - 2 records");
        const std::uint32_t place = next_++;
        if ((place >> ChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<T[]>(chunk_size));
        return place;
    }

    /// Number of places handed out.
    std::size_t size() const noexcept { return next_ - 1; }

private:
    static constexpr std::size_t chunk_size = std::size_t{1} << ChunkBits;
    static constexpr std::uint32_t chunk_mask = chunk_size - 1;
    std::vector<std::unique_ptr<T[]>> chunks_;
    std::uint32_t next_ = 1;
};

}  // namespace demarche::engine
