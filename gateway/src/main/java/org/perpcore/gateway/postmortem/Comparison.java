package org.perpcore.gateway.postmortem;

import java.util.List;

/**
 * A what-if: the post-mortem of a journal as it ran ({@code base}) and of the same commands replayed under
 * changed risk parameters ({@code changed}, described by {@code settings}).
 */
public record Comparison(List<String> settings, PostMortem base, PostMortem changed) {
}
