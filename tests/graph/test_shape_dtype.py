"""TensorShape/Dimension and DType behave like TF1's."""

import numpy as np
import pytest

import flowbook as tf


def test_tensor_shape_basics():
    s = tf.TensorShape([None, 3])
    assert s.as_list() == [None, 3] and s.ndims == 2 and len(s) == 2
    assert str(s) == "(?, 3)" and str(tf.TensorShape([])) == "()"
    assert str(tf.TensorShape(None)) == "<unknown>"
    assert s[1].value == 3 and s[0].value is None and int(s[1]) == 3
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4])
    assert s.merge_with([5, None]).as_list() == [5, 3]
    with pytest.raises(ValueError):
        s.merge_with([5, 4])
    assert not s.is_fully_defined() and tf.TensorShape([2, 3]).num_elements() == 6
    with pytest.raises(ValueError):
        tf.TensorShape(None).as_list()
    assert tf.TensorShape([2]) + tf.TensorShape([3]) == tf.TensorShape([2, 3])
    with pytest.raises(ValueError):
        tf.TensorShape([-1])


def test_dimension_arithmetic():
    d = tf.Dimension(3)
    assert d + 1 == 4 and (d * 2).value == 6 and repr(d) == "Dimension(3)"
    assert (tf.Dimension(None) + 1).value is None
    assert (tf.Dimension(None) == 3) is None


def test_dtypes():
    assert tf.float32.name == "float32" and tf.float32.as_numpy_dtype is np.float32
    assert tf.as_dtype("int64") is tf.int64 and tf.as_dtype(np.float64) is tf.float64
    assert tf.float32.is_floating and tf.int32.is_integer and tf.uint8.is_unsigned
    assert tf.complex64.is_complex and tf.bool.is_bool
    assert tf.float32._as_ref.name == "float32_ref"
    assert tf.float32._as_ref.base_dtype is tf.float32
    assert tf.float32 == "float32" and tf.float32 != tf.float64
    assert repr(tf.float32) == "tf.float32" and tf.int8.max == 127
    with pytest.raises(TypeError):
        tf.as_dtype("nope")


@pytest.mark.parametrize("value,dtype", [
    (1.0, tf.float32), (1, tf.int32), (2 ** 40, tf.int64), (True, tf.bool),
    ([1, 2], tf.int32), ([1, 2.5], tf.float32), (np.float64(1), tf.float64),
    (np.arange(3), tf.int64), (np.zeros(2, np.float16), tf.float16), ("hi", tf.string),
    (1j, tf.complex128),
])
def test_constant_dtype_inference_like_tf(value, dtype):
    assert tf.constant(value).dtype == dtype


def test_constant_with_dtype_refuses_lossy_python_values():
    with pytest.raises(TypeError, match="Expected int32"):
        tf.constant(2.0, dtype=tf.int32)
    assert tf.constant(np.array([1.5]), dtype=tf.float32).dtype == tf.float32


def test_constant_shape_fill_and_reshape():
    assert tf.constant(7, shape=[2, 2]).op.get_attr("value").tolist() == [[7, 7], [7, 7]]
    assert tf.constant([1, 2, 3, 4], shape=[2, 2]).op.get_attr("value").tolist() == [
        [1, 2], [3, 4]]
    assert tf.constant([1, 2, 3], shape=[2, 2]).op.get_attr("value").tolist() == [
        [1, 2], [3, 3]]
    with pytest.raises(ValueError, match="Too many elements"):   # TF1's class
        tf.constant([1, 2, 3, 4, 5], shape=[2, 2])
    with pytest.raises(ValueError):
        tf.constant([[1, 2], [3]])


def test_constant_copies_the_callers_array():
    a = np.ones(3)
    c = tf.constant(a)
    a[0] = 5
    assert a.flags.writeable
    assert c.op.get_attr("value")[0] == 1


def test_mixed_dtypes_raise_type_error_at_build_time():
    x = tf.constant(1.0)
    with pytest.raises(TypeError):
        tf.add(x, tf.constant(1))
    with pytest.raises(TypeError):
        tf.add(1, x)          # TF converts the first argument first: int32 vs float32
    with pytest.raises(TypeError):
        tf.add(x, tf.constant(1.0, dtype=tf.float64))
    assert (x + 1).dtype == tf.float32    # operators convert to the tensor's dtype
    with pytest.raises(TypeError):
        tf.constant(1) + 1.5


def test_broadcast_shapes_checked_at_build_time():
    a = tf.placeholder(tf.float32, [None, 3])
    assert (a + tf.ones([3])).shape.as_list() == [None, 3]
    assert (a + tf.ones([4, 1, 1])).shape.as_list() == [4, None, 3]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2") as e:
        a + tf.ones([2])
    assert "add" in str(e.value)   # the node is named
