package org.perpcore.core.trigger;

import java.util.Arrays;

/**
 * An unordered set of order handles with O(1) add and remove (each handle's place is kept in {@link HandleLinks}).
 * Single writer: the engine thread.
 */
public final class HandleList {
    private final HandleLinks links;
    private int[] handles = new int[8];
    private int size;

    public HandleList(HandleLinks links) {
        this.links = links;
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return handles[i];
    }

    public void add(int h) {
        if (size == handles.length) {
            handles = Arrays.copyOf(handles, size * 2);
        }
        handles[size] = h;
        links.slot(h, size++);
    }

    public void remove(int h) {
        final int i = links.slot(h);
        final int last = handles[--size];
        handles[i] = last;
        links.slot(last, i);
        links.slot(h, HandleLinks.NONE);
    }
}
